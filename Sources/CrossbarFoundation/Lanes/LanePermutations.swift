/// Lane permutations of eight-lane vectors indexed by an 8-bit lane mask: `expand[m]` moves
/// element r of a packed vector to the lane of the r-th set bit of m; `compress[m]` moves the
/// lane of the r-th set bit to element r.
package final class LanePermutations: @unchecked Sendable {
    package static let shared = LanePermutations()
    package let expand: UnsafeMutablePointer<SIMD8<Int32>>
    package let compress: UnsafeMutablePointer<SIMD8<Int32>>

    private init() {
        expand = .allocate(capacity: 256)
        compress = .allocate(capacity: 256)
        for m in 0..<256 {
            var e = SIMD8<Int32>(), c = SIMD8<Int32>()
            var r: Int32 = 0
            for lane in 0..<8 where m & (1 << lane) != 0 {
                e[lane] = r
                c[Int(r)] = Int32(lane)
                r += 1
            }
            expand[m] = e
            compress[m] = c
        }
    }
}
