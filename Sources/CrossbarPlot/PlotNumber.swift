import Foundation

/// Number formatting for plots: compact coordinates and human tick labels, deterministic and
/// locale-independent.
public enum PlotNumber {
    /// A coordinate rounded to 0.01 user units, without trailing zeros (`12.5`, `3`, `-0.25`).
    public static func coordinate(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let hundredths = Int64((v * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let a = hundredths.magnitude
        let whole = a / 100, frac = a % 100
        if frac == 0 { return "\(sign)\(whole)" }
        if frac % 10 == 0 { return "\(sign)\(whole).\(frac / 10)" }
        return "\(sign)\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// A tick label for `value` on an axis whose ticks are `step` apart: just enough decimals to
    /// tell neighbouring ticks apart (`0.25`, `1.5`, `200`), scientific notation for very large or
    /// very small magnitudes (`2e-05` is written `2×10⁻⁵`), a true minus sign.
    public static func tickLabel(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return "" }
        if abs(value) < abs(step) * 1e-9 { return "0" }
        let magnitude = max(abs(value), abs(step))
        if magnitude >= 1e6 || abs(step) < 1e-4 {
            return scientific(value, significant: significantDigits(value, step: step))
        }
        let decimals = max(0, Int(-floor(log10(abs(step)) + 1e-9)))
        return minus(String(format: "%.\(decimals)f", value))
    }

    /// A compact value with at most `significant` significant digits and no trailing zeros
    /// (`0.0123`, `45.6`, `1230`; scientific beyond 10⁶ or below 10⁻³) — for cell annotations.
    public static func compact(_ value: Double, significant: Int = 3) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "∞" : "−∞" }
        if value == 0 { return "0" }
        let a = abs(value)
        if a >= 1e6 || a < 1e-3 { return scientific(value, significant: significant) }
        let exponent = Int(floor(log10(a)))
        let decimals = max(0, significant - 1 - exponent)
        return minus(trimZeros(String(format: "%.\(decimals)f", value)))
    }

    /// `m×10ᵉ` with `significant` digits in the mantissa (trailing zeros trimmed).
    static func scientific(_ value: Double, significant: Int) -> String {
        let s = String(format: "%.\(max(significant - 1, 0))e", value) // e.g. "-2.50e-05"
        let parts = s.split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return s }
        let mantissa = trimZeros(String(parts[0]))
        let power = "10" + superscript(exponent)
        if mantissa == "1" { return power }
        if mantissa == "-1" { return "−" + power }
        return minus(mantissa) + "×" + power
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var s = n < 0 ? "⁻" : ""
        for c in String(n.magnitude) { s.append(digits[Int(String(c))!]) }
        return s
    }

    private static func significantDigits(_ value: Double, step: Double) -> Int {
        let v = abs(value), s = abs(step)
        guard v > 0, s > 0 else { return 1 }
        return max(1, min(6, Int(floor(log10(v)) - floor(log10(s) + 1e-9)) + 1))
    }

    private static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    private static func minus(_ s: String) -> String {
        if s.hasPrefix("-") {
            let rest = s.dropFirst()
            if rest.allSatisfy({ $0 == "0" || $0 == "." }) { return String(rest) }
            return "−" + rest
        }
        return s
    }
}
