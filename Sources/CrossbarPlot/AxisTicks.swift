import Foundation

/// Tick positions for plot axes.
public enum AxisTicks {
    /// "Nice" linear ticks: multiples of a step 1, 2 or 5 × 10ᵏ, chosen so that about `target`
    /// ticks fall in `[lo, hi]`; returns the ticks inside the range (inclusive, with a relative
    /// slack of 10⁻⁹ of the span) and the step. A degenerate range (lo == hi) gets a unit-wide one.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 5) -> (ticks: [Double], step: Double) {
        var lo = lo, hi = hi
        if !(lo.isFinite && hi.isFinite) { return ([], 1) }
        if lo > hi { swap(&lo, &hi) }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.5
            lo -= pad
            hi += pad
        }
        let step = niceStep((hi - lo) / Double(max(target, 1)))
        let eps = (hi - lo) * 1e-9
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        var ticks: [Double] = []
        if last >= first {
            var k = first
            while k <= last {
                var t = k * step
                if abs(t) < step * 1e-9 { t = 0 }
                if t >= lo - eps && t <= hi + eps { ticks.append(t) }
                k += 1
            }
        }
        return (ticks, step)
    }

    /// The smallest of 1, 2, 5, 10 × 10ᵏ that is ≥ `raw` (for positive finite `raw`).
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let residual = raw / magnitude
        let mantissa: Double
        if residual <= 1 + 1e-9 { mantissa = 1 } else if residual <= 2 + 1e-9 { mantissa = 2 } else if residual <= 5 + 1e-9 { mantissa = 5 } else { mantissa = 10 }
        return mantissa * magnitude
    }

    /// Ticks for a logarithmic axis over `[lo, hi]` (both > 0): every power of ten in range (every
    /// k-th when there are more than `maxDecades`), plus 2× and 5× when the range spans fewer
    /// than three decades. Returns (value, isMajor) pairs in increasing order.
    public static func logarithmic(_ lo: Double, _ hi: Double, maxDecades: Int = 8) -> [(value: Double, major: Bool)] {
        guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else { return [] }
        let a = min(lo, hi), b = max(lo, hi)
        let e0 = Int(floor(log10(a) + 1e-9)), e1 = Int(ceil(log10(b) - 1e-9))
        let decades = max(e1 - e0, 1)
        let every = max(1, Int((Double(decades) / Double(maxDecades)).rounded(.up)))
        let withMinor = decades < 3
        var ticks: [(Double, Bool)] = []
        let slack = 1e-9
        for e in e0...e1 {
            let p = pow(10, Double(e))
            if (e - e0) % every == 0, p >= a * (1 - slack), p <= b * (1 + slack) { ticks.append((p, true)) }
            if withMinor {
                for m in [2.0, 5.0] {
                    let v = m * p
                    if v >= a * (1 - slack), v <= b * (1 + slack) { ticks.append((v, false)) }
                }
            }
        }
        return ticks.sorted { $0.0 < $1.0 }
    }

    /// A label for a logarithmic tick: with `plain`, numbers between 10⁻³ and 10⁴ are written out
    /// (`0.01`, `100`); powers of ten are written `10ᵏ` otherwise.
    public static func logLabel(_ v: Double, plain: Bool = true) -> String {
        if plain && v >= 1e-3 && v <= 1e4 { return PlotNumber.compact(v, significant: 3) }
        let e = log10(v)
        if abs(e - e.rounded()) < 1e-9 { return "10" + PlotNumber.superscript(Int(e.rounded())) }
        return PlotNumber.compact(v, significant: 2)
    }
}
