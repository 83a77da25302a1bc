import CPulseKernels
import CrossbarFoundation

/// ConstantStep, LinearStep, SoftBounds and SoftBoundsReference (docs/devices.md, §2), on the
/// conductance g = w + ref:
///   up:   g ← g + (Δ⁺ + s⁺g)·N,   down: g ← g − (Δ⁻ + s⁻g)·N,   then clip to [b_min, b_max],
/// with N = 1 + σξ (mult_noise) or the additive variant g ← g ± (Δ + s g) ± Δσξ.
///
/// Several pulses in one direction with additive noise (or a constant step) follow the affine
/// recursion g_{k+1} = a·g_k + c + |c|σξ_k (a = 1 ± s, c = ±Δ), whose n-step result is exactly
/// Gaussian: mean aⁿg + c·S₁, variance c²σ²·S₂ with S₁ = Σ_{i<n} aⁱ and S₂ = Σ_{i<n} a²ⁱ. The
/// kernel draws it in one Gaussian when the clipping margin allows (``closedFormMarginSigmas``)
/// and falls back to pulse-by-pulse otherwise. Multiplicative noise on a sloped step is always
/// simulated pulse by pulse.
///
/// The equations run in the C pulse kernels (`CPulseKernels`, AVX2 or portable, identical
/// results): one device (``apply(_:count:down:_:)``) and whole rows of a single-word update
/// (``PulsedUpdateEngine``), with SIMD passes over dense rows.
struct LinearStepKernel: PulseKernel {
    /// The C kernels' view of the array.
    let device: cpk_linear_device
    let hidden: UnsafeMutablePointer<Float>
    let reference: UnsafePointer<Float>?
    let stepUp: UnsafePointer<Float>
    let stepDown: UnsafePointer<Float>
    let slopeUp: UnsafePointer<Float>
    let slopeDown: UnsafePointer<Float>
    let bMax: UnsafePointer<Float>
    let bMin: UnsafePointer<Float>
    let hasSlopes: Bool

    init(_ a: PulsedDeviceArray) {
        hidden = a.hidden.pointer
        reference = a.reference.map { UnsafePointer($0.pointer) }
        stepUp = UnsafePointer(a.stepUp.pointer)
        stepDown = UnsafePointer(a.stepDown.pointer)
        slopeUp = UnsafePointer(a.slopeUp.pointer)
        slopeDown = UnsafePointer(a.slopeDown.pointer)
        bMax = UnsafePointer(a.bMax.pointer)
        bMin = UnsafePointer(a.bMin.pointer)
        hasSlopes = a.config.model != .constantStep
        var d = cpk_linear_device()
        d.hidden = hidden
        d.dirty = a.dirty
        d.reference = reference
        d.step_up = stepUp
        d.step_down = stepDown
        d.slope_up = slopeUp
        d.slope_down = slopeDown
        d.b_max = bMax
        d.b_min = bMin
        d.sigma = a.config.dwMinStd
        d.has_slopes = hasSlopes ? 1 : 0
        // A constant step's multiplicative noise Δ(1 + σξ) equals the additive form.
        d.mult_noise = a.config.multNoise && hasSlopes ? 1 : 0
        device = d
    }

    @inline(__always)
    func apply(_ k: Int, count n: Int, down: Bool, _ g: inout NoiseSource) {
        withUnsafePointer(to: device) { cpk_linear_apply($0, Int64(k), Int64(n), down ? 1 : 0, &g.state) }
    }

    func meanStep(_ k: Int, at w: Float, down: Bool) -> Float {
        let r: Float = reference?[k] ?? 0
        let x = w + r
        let c = down ? -stepDown[k] : stepUp[k]
        let s: Float = hasSlopes ? (down ? -slopeDown[k] : slopeUp[k]) : 0
        return min(max(x + c + s * x, bMin[k]), bMax[k]) - x
    }
}

/// Closed-form multi-pulse updates are used only when, with this many standard deviations of
/// margin, the unclipped trajectory stays inside the device bounds at every intermediate
/// pulse. By the union bound the probability that a per-pulse simulation would have clipped
/// where the closed form did not is then below count · 2·Q(7) ≈ count · 2.6·10⁻¹²
/// (docs/devices.md, "Exactness of the multi-pulse shortcut"). The C kernels use the same value.
let closedFormMarginSigmas: Float = 7
