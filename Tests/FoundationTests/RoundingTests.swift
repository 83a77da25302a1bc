import Testing
@testable import CrossbarFoundation

/// `Rounding` must equal `rounded(_:)` bit for bit on every input: the quantisation of every
/// analog MVM and the bit-line thresholds go through it, and results are promised to be
/// bit-identical whichever way they are computed. Exhaustive over the edge cases (signed
/// zeros, halves, the 2^p boundaries, subnormals, infinities, NaN) and over random bit
/// patterns, which cover every exponent (deterministic: a fixed seed, no tolerance).
struct RoundingTests {
    static func same(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
    static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    static var floatEdges: [Float] {
        var v: [Float] = [0, 0.5, 1.5, 2.5, 0.49999997, 0.50000006, 1, 3.5, 4194303.5, 4194304.5, 8388607.5,
                          8388608, 8388609, 16777215, 16777216, 1e30, .greatestFiniteMagnitude,
                          .leastNonzeroMagnitude, .leastNormalMagnitude, .infinity, 0.3, 0.7, 1.3, 2.7, 123456.5]
        v += v.map { -$0 }
        v += [.nan, -.nan, .signalingNaN]
        return v
    }

    @Test func toNearestEvenAndTowardZeroMatchFloatRounded() {
        var g = Xoshiro256(seed: 11)
        var inputs = Self.floatEdges
        for _ in 0..<400_000 { inputs.append(Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))) }
        // Values of the ADC/DAC range, where most calls happen: |x| < 2^24 in steps of 1/8.
        for _ in 0..<200_000 { inputs.append(Float(Int32(truncatingIfNeeded: g.next()) >> 4) / 8) }
        var mismatches: [Float] = []
        for x in inputs {
            if !Self.same(Rounding.toNearestEven(x), x.rounded(.toNearestOrEven)) { mismatches.append(x) }
            if !Self.same(Rounding.towardZero(x), x.rounded(.towardZero)) { mismatches.append(x) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func upMatchesDoubleRounded() {
        var g = Xoshiro256(seed: 12)
        var inputs: [Double] = [0, 0.5, 0.7, 1, 1.5, 2.5, 2.7, 4294967295.5, 4294967296, 4503599627370495.5,
                                4503599627370496, 4503599627370497, 1e300, .greatestFiniteMagnitude,
                                .leastNonzeroMagnitude, .infinity, 0.2, 1e-300]
        inputs += inputs.map { -$0 }
        inputs += [.nan, -.nan]
        for _ in 0..<400_000 { inputs.append(Double(bitPattern: g.next())) }
        // The bit lines' use: probability p ∈ [0, 1] times 2^32.
        for _ in 0..<200_000 { inputs.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: g.next()) & 0x3F7F_FFFF)) * 4_294_967_296) }
        let mismatches = inputs.filter { !Self.same(Rounding.up($0), $0.rounded(.up)) }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}
