/// Rounding of hot loops, bit for bit equal to `rounded(_:)` for every input (the sign of
/// zero, infinities and NaN included), without the SSE4.1 rounding instruction.
///
/// The package is built for the x86-64 baseline (no compiler flags, so that it works as a
/// versioned dependency), where `Float.rounded(.toNearestOrEven)`, `.towardZero` and
/// `Double.rounded(.up)` become a call into the C library per element and keep the loop from
/// vectorising. The ADC/DAC quantisation of every analog MVM, the pulse-probability
/// thresholds of the bit lines and the transfer's pulse counts round in such loops. These
/// helpers use only additions, comparisons and conversions that every x86-64 CPU has:
/// for |x| < 2^p (p = 23 for Float, 52 for Double), (|x| + 2^p) − 2^p is |x| rounded to the
/// nearest integer, ties to even, in the default rounding mode (the sum lies in [2^p, 2^(p+1)),
/// where the spacing of representable numbers is 1); larger |x| are integers already. The sign
/// is put back from x, so −0.3 rounds to −0 as `rounded` does.
public enum Rounding {
    /// `x.rounded(.toNearestOrEven)`.
    @inlinable @inline(__always)
    public static func toNearestEven(_ x: Float) -> Float {
        let magnitude = abs(x)
        guard magnitude < 8_388_608 else { return x }  // 2^23; also NaN
        let r = (magnitude + 8_388_608) - 8_388_608
        return Float(bitPattern: r.bitPattern | (x.bitPattern & 0x8000_0000))
    }

    /// `x.rounded(.towardZero)`.
    @inlinable @inline(__always)
    public static func towardZero(_ x: Float) -> Float {
        let magnitude = abs(x)
        guard magnitude < 8_388_608 else { return x }  // 2^23; also NaN
        let r = Float(Int32(magnitude))  // conversion truncates; exact below 2^23
        return Float(bitPattern: r.bitPattern | (x.bitPattern & 0x8000_0000))
    }

    /// `x.rounded(.up)`.
    @inlinable @inline(__always)
    public static func up(_ x: Double) -> Double {
        let magnitude = abs(x)
        guard magnitude < 4_503_599_627_370_496 else { return x }  // 2^52; also NaN
        let nearest = Double(bitPattern: ((magnitude + 4_503_599_627_370_496) - 4_503_599_627_370_496).bitPattern
                                         | (x.bitPattern & 0x8000_0000_0000_0000))
        let c = nearest < x ? nearest + 1 : nearest
        // ⌈x⌉ has the sign of x, −0 for −1 < x < 0 (c is then +0 after the increment).
        return Double(bitPattern: c.bitPattern | (x.bitPattern & 0x8000_0000_0000_0000))
    }
}
