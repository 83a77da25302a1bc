extension PulsedDeviceArray {
    /// The symmetry point of device k on the conductance g (where a noise-free up pulse and a
    /// noise-free down pulse change g by the same amount), LinearStep family: solving
    /// Δ⁺ + s⁺g = Δ⁻ + s⁻g gives g* = (Δ⁻ − Δ⁺)/(s⁺ − s⁻); for soft bounds this is
    /// (Δ⁺ − Δ⁻)/(Δ⁺/b_max − Δ⁻/b_min) (docs/devices.md, "Device models"). NaN when the slopes are equal.
    func linearSymmetryPoint(_ k: Int) -> Float {
        let ds = slopeUp[k] - slopeDown[k]
        if ds == 0 { return .nan }
        return min(max((stepDown[k] - stepUp[k]) / ds, bMin[k]), bMax[k])
    }

    /// Iterative symmetry point of device k on its conductance (docs/devices.md, "Device models" PowStepReference):
    /// from g = 0, apply `steps` noise-free down/up pulse pairs (≤ 0: automatic,
    /// min(round(10·R/min(Δ⁺, Δ⁻)), 10000)).
    func iterativeSymmetryPoint(_ k: Int, steps: Int) -> Float {
        let range = bMax[k] - bMin[k]
        var n = steps
        if n <= 0 {
            let dmin = min(stepUp[k], stepDown[k])
            n = dmin > 0 ? min(Int(saturating: (10 * range / dmin).rounded()), 10000) : 0
        }
        let r: Float = reference?[k] ?? 0
        var w: Float = -r // conductance 0 in visible units
        withKernel { kern in
            for _ in 0..<n {
                w += kern.meanStep(k, at: w, down: true)
                w += kern.meanStep(k, at: w, down: false)
            }
        }
        return w + r
    }

    /// Each device's symmetry point in visible weight units (w = g − ref): where the device
    /// drifts under random up/down pulses of zero mean. Analytic for the LinearStep family
    /// (soft bounds), iterative (noise-free pulse pairs) for the other models. Row-major
    /// [rows × cols].
    public func symmetryPoints() -> [Float] {
        (0..<count).map { k in
            let r: Float = reference?[k] ?? 0
            let sp: Float
            if kernelKind == .linear && config.model != .constantStep, case let a = linearSymmetryPoint(k), a.isFinite {
                sp = a
            } else {
                sp = iterativeSymmetryPoint(k, steps: config.nEstimationSteps)
            }
            return sp - r
        }
    }
}
