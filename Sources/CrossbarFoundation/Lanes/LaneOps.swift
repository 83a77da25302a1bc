import CPrefetch
#if arch(x86_64) && CROSSBAR_HASWELL
import _Builtin_intrinsics.intel
#endif

/// The few AVX2/BMI2 operations Swift's SIMD types do not offer (lane masks as bits, lane
/// permutations, byte deposit, vector square root); lane-by-lane equivalents elsewhere.
package enum LaneOps {
    /// Bit l set ⇔ lane l of `v` is negative (sign bit set).
    @inline(__always)
    package static func signBits(_ v: SIMD8<Int32>) -> Int {
        #if arch(x86_64) && CROSSBAR_HASWELL
        Int(_mm256_movemask_ps(unsafeBitCast(v, to: SIMD8<Float>.self)))
        #else
        var bits = 0
        for lane in 0..<8 where v[lane] < 0 { bits |= 1 << lane }
        return bits
        #endif
    }

    /// result[l] = v[index[l]].
    @inline(__always)
    package static func permute(_ v: SIMD8<Float>, _ index: SIMD8<Int32>) -> SIMD8<Float> {
        #if arch(x86_64) && CROSSBAR_HASWELL
        _mm256_permutevar8x32_ps(v, unsafeBitCast(index, to: __m256i.self))
        #else
        var result = SIMD8<Float>()
        for lane in 0..<8 { result[lane] = v[Int(index[lane])] }
        return result
        #endif
    }

    @inline(__always)
    package static func permute(_ v: SIMD8<Int32>, _ index: SIMD8<Int32>) -> SIMD8<Int32> {
        unsafeBitCast(permute(unsafeBitCast(v, to: SIMD8<Float>.self), index), to: SIMD8<Int32>.self)
    }

    /// The lane mask of the 8-bit mask `bits`.
    @inline(__always)
    package static func laneMask(_ bits: Int) -> SIMDMask<SIMD8<Int32>> {
        (SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: bits)) & SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)) .!= SIMD8<Int32>()
    }

    /// Byte l = bit l of `bits` (8 bytes, little endian).
    @inline(__always)
    package static func bytes(_ bits: Int) -> UInt64 {
        #if arch(x86_64) && CROSSBAR_HASWELL
        _pdep_u64(UInt64(truncatingIfNeeded: bits), 0x0101_0101_0101_0101)
        #else
        var b: UInt64 = 0
        for lane in 0..<8 where bits & (1 << lane) != 0 { b |= 1 << UInt64(8 * lane) }
        return b
        #endif
    }

    /// Lane-wise √x, correctly rounded.
    @inline(__always)
    package static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(x86_64) && CROSSBAR_HASWELL
        _mm256_sqrt_ps(x)
        #else
        var result = SIMD8<Float>()
        for lane in 0..<8 { result[lane] = x[lane].squareRoot() }
        return result
        #endif
    }

    /// Asks for the cache line at `address` ahead of a read (a hint; never faults).
    @inline(__always)
    package static func prefetch(_ address: UnsafeRawPointer) { crossbar_prefetch(address) }

    /// Lane-wise population count of 32-bit words (SWAR: pairs, nibbles, bytes, then a
    /// multiply that sums the four bytes into the top one).
    @inline(__always)
    package static func populationCount(_ v: SIMD8<UInt32>) -> SIMD8<UInt32> {
        var x = v &- ((v &>> 1) & SIMD8(repeating: 0x5555_5555))
        x = (x & SIMD8(repeating: 0x3333_3333)) &+ ((x &>> 2) & SIMD8(repeating: 0x3333_3333))
        x = (x &+ (x &>> 4)) & SIMD8(repeating: 0x0F0F_0F0F)
        return (x &* SIMD8(repeating: 0x0101_0101)) &>> 24
    }
}
