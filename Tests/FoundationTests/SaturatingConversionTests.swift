import Testing
import CrossbarFoundation

/// Float → integer conversions of user-influenced values clamp instead of trapping.
@Suite struct SaturatingConversionTests {
    @Test func intClampsAndMapsNaNToZero() {
        #expect(Int(saturating: 1e300) == .max)
        #expect(Int(saturating: -1e300) == .min)
        #expect(Int(saturating: Double.infinity) == .max)
        #expect(Int(saturating: -Double.infinity) == .min)
        #expect(Int(saturating: Double.nan) == 0)
        #expect(Int(saturating: Float(3.9)) == 3)
        #expect(Int(saturating: -3.9) == -3)
        #expect(Int(saturating: Float.greatestFiniteMagnitude) == .max)
    }

    @Test func uint64ClampsNegativesAndNaNToZero() {
        #expect(UInt64(saturating: -5) == 0)
        #expect(UInt64(saturating: .nan) == 0)
        #expect(UInt64(saturating: 1e40) == .max)
        #expect(UInt64(saturating: 12.7) == 12)
    }
}
