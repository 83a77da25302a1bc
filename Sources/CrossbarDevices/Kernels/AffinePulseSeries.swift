import CrossbarFoundation

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
/// rounding); outside that range callers simulate pulse by pulse. The series are written once,
/// for eight devices at a time (SIMD8); the one-device form evaluates lane 0 of a broadcast, so
/// scalar and vector paths round identically.
enum AffinePulseSeries {
    typealias Lanes = SIMD8<Float>
    static let maxSlope: Float = 1.0 / 32
    static let maxExponent: Float = 1.0 / 8

    /// ℓ(s) = ln(1 + s)/s = 1 − s/2 + s²/3 − s³/4 + s⁴/5 − s⁵/6.
    @inline(__always)
    static func logRatio(_ s: Lanes) -> Lanes {
        var p = Lanes(repeating: -1.0 / 6)
        p = Lanes(repeating: 1.0 / 5).addingProduct(p, s)
        p = Lanes(repeating: -1.0 / 4).addingProduct(p, s)
        p = Lanes(repeating: 1.0 / 3).addingProduct(p, s)
        p = Lanes(repeating: -1.0 / 2).addingProduct(p, s)
        return Lanes(repeating: 1).addingProduct(p, s)
    }

    /// φ(t) = (eᵗ − 1)/t = 1 + t/2 + t²/6 + … + t⁶/5040.
    @inline(__always)
    static func expRatio(_ t: Lanes) -> Lanes {
        var p = Lanes(repeating: 1.0 / 5040)
        p = Lanes(repeating: 1.0 / 720).addingProduct(p, t)
        p = Lanes(repeating: 1.0 / 120).addingProduct(p, t)
        p = Lanes(repeating: 1.0 / 24).addingProduct(p, t)
        p = Lanes(repeating: 1.0 / 6).addingProduct(p, t)
        p = Lanes(repeating: 1.0 / 2).addingProduct(p, t)
        return Lanes(repeating: 1).addingProduct(p, t)
    }

    /// 1/(1 + s/2) = 1 − s/2 + s²/4 − s³/8 + s⁴/16.
    @inline(__always)
    static func halfReciprocal(_ s: Lanes) -> Lanes {
        var p = Lanes(repeating: 1.0 / 16)
        p = Lanes(repeating: -1.0 / 8).addingProduct(p, s)
        p = Lanes(repeating: 1.0 / 4).addingProduct(p, s)
        p = Lanes(repeating: -1.0 / 2).addingProduct(p, s)
        return Lanes(repeating: 1).addingProduct(p, s)
    }

    /// Mean, variance factor S₂ and the validity slack (≥ 0 when the series are valid) of
    /// `n` pulses starting at `x`, for eight devices. (Transparent: always inlined, also into
    /// the large SIMD loops, where a call would spill every vector register.)
    @_transparent
    static func evaluate(x: Lanes, n: Lanes, c: Lanes, s: Lanes) -> (mean: Lanes, s2: Lanes, slack: Lanes) {
        let l = logRatio(s)
        let nl = n * l
        let a = nl * s
        let e1 = expRatio(a)
        let e2 = expRatio(a + a)
        let power = Lanes(repeating: 1).addingProduct(a, e1)
        let mean = (power * x).addingProduct(c, nl * e1)
        let s2 = nl * e2 * halfReciprocal(s)
        let zero = Lanes(repeating: 0)
        let absS = s.replacing(with: zero - s, where: s .< zero)
        let absA = a.replacing(with: zero - a, where: a .< zero)
        let slope = Lanes(repeating: maxSlope) - absS, exponent = Lanes(repeating: maxExponent) - absA
        return (mean, s2, slope.replacing(with: exponent, where: exponent .< slope))
    }

    /// The same for one device.
    @inline(__always)
    static func evaluate(x: Float, n: Float, c: Float, s: Float) -> (mean: Float, s2: Float, slack: Float) {
        let r = evaluate(x: Lanes(repeating: x), n: Lanes(repeating: n), c: Lanes(repeating: c), s: Lanes(repeating: s))
        return (r.mean[0], r.s2[0], r.slack[0])
    }
}
