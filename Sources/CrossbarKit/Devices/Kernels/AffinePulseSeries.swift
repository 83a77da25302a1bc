/// The n-pulse result of the affine pulse recursion g ← (1 + s)·g + c + |c|σξ (LinearStep
/// family with additive noise), evaluated without loops or divisions:
///
///   L = ln(1 + s) = s·ℓ(s),  A = n·L,  φ(t) = (eᵗ − 1)/t,
///   (1 + s)ⁿ = 1 + A·φ(A),   S₁ = Σ_{i<n}(1 + s)ⁱ = n·ℓ·φ(A),
///   S₂ = Σ_{i<n}(1 + s)²ⁱ = n·ℓ·φ(2A)/(1 + s/2),
///   mean = (1 + s)ⁿ·g + c·S₁,   std = |c|·σ·√S₂.
///
/// ℓ, φ and 1/(1 + s/2) are evaluated by their Taylor series in fused multiply-add form,
/// valid for |s| ≤ 1/32 and |A| ≤ 1/8 (truncation below 2·10⁻⁹ relative, under float
/// rounding); outside that range callers simulate pulse by pulse. Scalar and vector paths
/// share these functions, so they round identically.
enum AffinePulseSeries {
    static let maxSlope: Float = 1.0 / 32
    static let maxExponent: Float = 1.0 / 8

    /// ℓ(s) = ln(1 + s)/s = 1 − s/2 + s²/3 − s³/4 + s⁴/5 − s⁵/6.
    @inline(__always)
    static func logRatio(_ s: Float) -> Float {
        var p: Float = -1.0 / 6
        p = Float(1.0 / 5).addingProduct(p, s)
        p = Float(-1.0 / 4).addingProduct(p, s)
        p = Float(1.0 / 3).addingProduct(p, s)
        p = Float(-1.0 / 2).addingProduct(p, s)
        return Float(1).addingProduct(p, s)
    }

    /// φ(t) = (eᵗ − 1)/t = 1 + t/2 + t²/6 + … + t⁶/5040.
    @inline(__always)
    static func expRatio(_ t: Float) -> Float {
        var p: Float = 1.0 / 5040
        p = Float(1.0 / 720).addingProduct(p, t)
        p = Float(1.0 / 120).addingProduct(p, t)
        p = Float(1.0 / 24).addingProduct(p, t)
        p = Float(1.0 / 6).addingProduct(p, t)
        p = Float(1.0 / 2).addingProduct(p, t)
        return Float(1).addingProduct(p, t)
    }

    /// 1/(1 + s/2) = 1 − s/2 + s²/4 − s³/8 + s⁴/16.
    @inline(__always)
    static func halfReciprocal(_ s: Float) -> Float {
        var p: Float = 1.0 / 16
        p = Float(-1.0 / 8).addingProduct(p, s)
        p = Float(1.0 / 4).addingProduct(p, s)
        p = Float(-1.0 / 2).addingProduct(p, s)
        return Float(1).addingProduct(p, s)
    }

    /// Mean, variance factor S₂ and the validity slack (≥ 0 when the series are valid) of
    /// `n` pulses starting at `x`.
    @inline(__always)
    static func evaluate(x: Float, n: Float, c: Float, s: Float) -> (mean: Float, s2: Float, slack: Float) {
        let l = logRatio(s)
        let nl = n * l
        let a = nl * s
        let e1 = expRatio(a)
        let e2 = expRatio(a + a)
        let power = Float(1).addingProduct(a, e1)
        let mean = (power * x).addingProduct(c, nl * e1)
        let s2 = nl * e2 * halfReciprocal(s)
        let slack = min(maxSlope - abs(s), maxExponent - abs(a))
        return (mean, s2, slack)
    }
}
