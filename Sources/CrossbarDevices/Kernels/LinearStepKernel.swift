import CrossbarFoundation

/// ConstantStep, LinearStep, SoftBounds and SoftBoundsReference (spec §2.3), on the
/// conductance g = w + ref:
///   up:   g ← g + (Δ⁺ + s⁺g)·N,   down: g ← g − (Δ⁻ + s⁻g)·N,   then clip to [b_min, b_max],
/// with N = 1 + σξ (mult_noise) or the additive variant g ← g ± (Δ + s g) ± Δσξ.
///
/// Several pulses in one direction with additive noise (or a constant step) follow the affine
/// recursion g_{k+1} = a·g_k + c + |c|σξ_k (a = 1 ± s, c = ±Δ), whose n-step result is exactly
/// Gaussian: mean aⁿg + c·S₁, variance c²σ²·S₂ with S₁ = Σ_{i<n} aⁱ = (aⁿ − 1)/(a − 1) and
/// S₂ = Σ_{i<n} a²ⁱ. The kernel draws it in one Gaussian when the clipping margin allows
/// (``closedFormMarginSigmas``) and falls back to pulse-by-pulse otherwise. Multiplicative
/// noise on a sloped step is always simulated pulse by pulse.
struct LinearStepKernel: PulseKernel {
    let hidden: UnsafeMutablePointer<Float>
    let dirty: UnsafeMutablePointer<UInt8>?
    let reference: UnsafePointer<Float>?
    let stepUp: UnsafePointer<Float>
    let stepDown: UnsafePointer<Float>
    let slopeUp: UnsafePointer<Float>
    let slopeDown: UnsafePointer<Float>
    let bMax: UnsafePointer<Float>
    let bMin: UnsafePointer<Float>
    let sigma: Float
    let multNoise: Bool
    let hasSlopes: Bool

    init(_ a: PulsedDeviceArray) {
        hidden = a.hidden.pointer
        dirty = a.dirty
        reference = a.reference.map { UnsafePointer($0.pointer) }
        stepUp = UnsafePointer(a.stepUp.pointer)
        stepDown = UnsafePointer(a.stepDown.pointer)
        slopeUp = UnsafePointer(a.slopeUp.pointer)
        slopeDown = UnsafePointer(a.slopeDown.pointer)
        bMax = UnsafePointer(a.bMax.pointer)
        bMin = UnsafePointer(a.bMin.pointer)
        sigma = a.config.dwMinStd
        hasSlopes = a.config.model != .constantStep
        // A constant step's multiplicative noise Δ(1 + σξ) equals the additive form.
        multNoise = a.config.multNoise && hasSlopes
    }

    @inline(__always)
    func apply(_ k: Int, count n: Int, down: Bool, _ g: inout NoiseSource) {
        let r: Float = reference?[k] ?? 0
        var x = hidden[k] + r
        let lo = bMin[k], hi = bMax[k]
        // One pulse: x ← x + (c + s·x)·N with c = ±Δ, s = ±slope.
        let c = down ? -stepDown[k] : stepUp[k]
        let s: Float = hasSlopes ? (down ? -slopeDown[k] : slopeUp[k]) : 0
        if n == 1 {
            let z: Float = sigma != 0 ? g.gaussian() : 0
            x = min(max(Self.onePulse(x, c, s, sigma, z, mult: multNoise), lo), hi)
        } else if sigma == 0 || multNoise {
            x = pulseByPulse(x, n, c, s, lo, hi, &g)
        } else if let (m, sd) = closedForm(x, n, c, s) {
            let margin = closedFormMarginSigmas * sd
            if min(x, m) - margin >= lo && max(x, m) + margin <= hi {
                x = m + sd * g.gaussian()
            } else {
                x = pulseByPulse(x, n, c, s, lo, hi, &g)
            }
        } else {
            x = pulseByPulse(x, n, c, s, lo, hi, &g)
        }
        let w = x - r
        hidden[k] = w
        dirty?[k] = 1
    }

    /// `count` pulses to device k one at a time (for devices whose closed form is known not
    /// to be valid).
    @inline(__always)
    func applyOneAtATime(_ k: Int, count n: Int, down: Bool, _ g: inout NoiseSource) {
        let r: Float = reference?[k] ?? 0
        let c = down ? -stepDown[k] : stepUp[k]
        let s: Float = hasSlopes ? (down ? -slopeDown[k] : slopeUp[k]) : 0
        hidden[k] = pulseByPulse(hidden[k] + r, n, c, s, bMin[k], bMax[k], &g) - r
        dirty?[k] = 1
    }

    /// Mean and standard deviation after `n` unclipped pulses of the additive recursion
    /// x ← (1 + s)x + c + |c|σξ (``AffinePulseSeries``), or nil when the series are not
    /// valid for this slope and count (then the caller simulates pulse by pulse).
    @inline(__always)
    private func closedForm(_ x: Float, _ n: Int, _ c: Float, _ s: Float) -> (Float, Float)? {
        let fn = Float(n)
        if s == 0 {
            return (x + fn * c, abs(c) * sigma * fn.squareRoot())
        }
        let r = AffinePulseSeries.evaluate(x: x, n: fn, c: c, s: s)
        if r.slack < 0 { return nil }
        return (r.mean, abs(c) * sigma * max(r.s2, 0).squareRoot())
    }

    /// One pulse, x + (c + s·x)·(1 + σz) (mult) or x + c + s·x + |c|σz (additive), with fused
    /// multiply-adds. Every path (scalar, single-pulse lists, dense rows) uses this function,
    /// so they round identically.
    @inline(__always)
    static func onePulse(_ x: Float, _ c: Float, _ s: Float, _ sigma: Float, _ z: Float, mult: Bool) -> Float {
        let step = c.addingProduct(s, x)
        return mult ? (x + step).addingProduct(step * sigma, z) : (x + step).addingProduct(abs(c) * sigma, z)
    }

    @inline(__always)
    private func pulseByPulse(_ x0: Float, _ n: Int, _ c: Float, _ s: Float, _ lo: Float, _ hi: Float,
                              _ g: inout NoiseSource) -> Float {
        var x = x0
        if sigma == 0 {
            for _ in 0..<n { x = min(max(x + c + s * x, lo), hi) }
        } else if multNoise {
            for _ in 0..<n { x = min(max(x + (c + s * x) * (1 + sigma * g.gaussian()), lo), hi) }
        } else {
            let cn = abs(c) * sigma
            for _ in 0..<n { x = min(max(x + c + s * x + cn * g.gaussian(), lo), hi) }
        }
        return x
    }

    func meanStep(_ k: Int, at w: Float, down: Bool) -> Float {
        let r: Float = reference?[k] ?? 0
        let x = w + r
        let c = down ? -stepDown[k] : stepUp[k]
        let s: Float = hasSlopes ? (down ? -slopeDown[k] : slopeUp[k]) : 0
        return min(max(x + c + s * x, bMin[k]), bMax[k]) - x
    }
}
