import CrossbarKit
import Foundation
import TestSupport

/// A ``NoiseSource`` with heap-allocated scratch that lives as long as the object (tests pass
/// `&noise.source` to the pulse primitives).
final class TestNoise {
    let scratch: UnsafeMutablePointer<Float>
    var source: NoiseSource

    init(seed: UInt64) {
        scratch = .allocate(capacity: NoiseSource.scratchFloats)
        scratch.initialize(repeating: 0, count: NoiseSource.scratchFloats)
        source = NoiseSource(Xoshiro256(seed: seed), scratch: scratch)
    }

    deinit { scratch.deallocate() }
}

/// A device array with its device-to-device draws from `seed`.
func makeArray(_ config: DeviceConfig, rows: Int, cols: Int, seed: UInt64 = 1) -> PulsedDeviceArray {
    var g = Xoshiro256(seed: seed)
    return PulsedDeviceArray(config: config, rows: rows, cols: cols, construction: &g,
                             noiseKey: StreamKey(rawValue: seed &* 0x9E37_79B9 &+ 17))
}

/// An update engine on `array` with streams derived from `seed`.
func makeEngine(_ array: PulsedDeviceArray, seed: UInt64 = 1) -> PulsedUpdateEngine {
    PulsedUpdateEngine(array: array, pulseKey: StreamKey(rawValue: seed &* 31 &+ 3),
                       noiseKey: StreamKey(rawValue: seed &* 131 &+ 7))
}

extension DeviceConfig {
    /// `model` with every device-to-device spread and all cycle-to-cycle noise off: every
    /// device has Δ± = dw_min and bounds w_min, w_max exactly.
    static func quiet(_ model: DeviceModel) -> DeviceConfig {
        var c = DeviceConfig(model: model)
        c.dwMinDtod = 0
        c.dwMinStd = 0
        c.wMaxDtod = 0
        c.wMinDtod = 0
        c.upDownDtod = 0
        c.gammaUpDtod = 0
        c.gammaDownDtod = 0
        c.powGammaDtod = 0
        c.resetStd = 0
        return c
    }
}

extension PulsedDeviceArray {
    /// Sets every device to the visible weight `w`.
    func setAll(_ w: Float) {
        let v = [Float](repeating: w, count: count)
        v.withUnsafeBufferPointer { setWeights($0.baseAddress!) }
    }

    func set(_ w: [Float]) {
        precondition(w.count == count)
        w.withUnsafeBufferPointer { setWeights($0.baseAddress!) }
    }

    /// Device k's conductance g = hidden + reference.
    func conductance(_ k: Int) -> Float { hidden[k] + (reference?[k] ?? 0) }
}

// MARK: - Statistics

/// Two-sample Kolmogorov–Smirnov statistic D = sup |F₁ − F₂|.
func ksStatistic(_ a: [Double], _ b: [Double]) -> Double {
    let x = a.sorted(), y = b.sorted()
    var i = 0, j = 0, d = 0.0
    while i < x.count && j < y.count {
        let v = min(x[i], y[j])
        while i < x.count && x[i] <= v { i += 1 }
        while j < y.count && y[j] <= v { j += 1 }
        d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
    }
    return d
}

/// The asymptotic critical value of the two-sample KS statistic at level `alpha`:
/// c(α)·√((n+m)/(n·m)) with c(α) = √(−ln(α/2)/2).
func ksCritical(_ n: Int, _ m: Int, alpha: Double) -> Double {
    (-log(alpha / 2) / 2).squareRoot() * (Double(n + m) / Double(n * m)).squareRoot()
}

/// Mean and unbiased variance of a sample.
func meanAndVariance(_ v: [Double]) -> (mean: Double, variance: Double) {
    let s = SampleStats(v)
    return (s.mean, s.variance)
}

/// z-score of the difference of two sample means (independent samples).
func meanDifferenceZ(_ a: [Double], _ b: [Double]) -> Double {
    let sa = SampleStats(a), sb = SampleStats(b)
    let se = (sa.variance / Double(sa.count) + sb.variance / Double(sb.count)).squareRoot()
    if se == 0 { return sa.mean == sb.mean ? 0 : .infinity }
    return (sa.mean - sb.mean) / se
}

/// z-score of the difference of two sample standard deviations, with the standard error of a
/// sample std estimated from the sample's fourth moment: Var(s) ≈ (μ₄ − σ⁴)/(4σ²n) (exact for
/// large n whatever the distribution; for a Gaussian it is σ²/(2n)).
func stdDifferenceZ(_ a: [Double], _ b: [Double]) -> Double {
    func stats(_ v: [Double]) -> (std: Double, varOfStd: Double) {
        let s = SampleStats(v)
        let m4 = v.reduce(0.0) { $0 + pow($1 - s.mean, 4) } / Double(v.count)
        let s2 = s.variance
        if s2 == 0 { return (0, 0) }
        return (s2.squareRoot(), max(m4 - s2 * s2, 0) / (4 * s2 * Double(v.count)))
    }
    let x = stats(a), y = stats(b)
    let se = (x.varOfStd + y.varOfStd).squareRoot()
    if se == 0 { return x.std == y.std ? 0 : .infinity }
    return (x.std - y.std) / se
}

/// The chi-square quantile for `dof` degrees of freedom and upper tail `p`, by the
/// Wilson–Hilferty approximation (accurate to a few percent for dof ≥ 10).
func chiSquareQuantile(dof: Int, upperTail p: Double) -> Double {
    let z = normalQuantile(1 - p)
    let k = Double(dof)
    let t = 1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot()
    return k * t * t * t
}

/// The standard normal quantile (Acklam's rational approximation, |error| < 1.2·10⁻⁹).
func normalQuantile(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
             -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
             -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
             4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let pl = 0.02425
    if p < pl {
        let q = (-2 * log(p)).squareRoot()
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if p > 1 - pl { return -normalQuantile(1 - p) }
    let q = p - 0.5, r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

/// Tolerance for comparing a Float device computation with a Double evaluation of its
/// equation: a few float roundings (2⁻²³ relative each) of values of magnitude `scale`.
func floatTolerance(_ scale: Double, ulps: Double = 8) -> Double { ulps * max(scale, 1e-30) * 0x1p-23 }
