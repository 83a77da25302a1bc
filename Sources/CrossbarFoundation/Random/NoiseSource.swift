import CPulseKernels

/// Seeds the eight xoshiro128++ generators (Blackman & Vigna 2019) of a ``NoiseSource``: each
/// lane gets two SplitMix64 outputs of the owner's generator.
enum LaneGeneratorSeeding {
    @inline(__always)
    static func seed(_ state: inout cpk_noise, from g: inout Xoshiro256) {
        withUnsafeMutableBytes(of: &state.a) { a in
            withUnsafeMutableBytes(of: &state.b) { b in
                withUnsafeMutableBytes(of: &state.c) { c in
                    withUnsafeMutableBytes(of: &state.d) { d in
                        for l in 0..<8 {
                            var sm = SplitMix64(seed: g.next())
                            let s0 = sm.next(), s1 = sm.next()
                            var la = UInt32(truncatingIfNeeded: s0)
                            let lb = UInt32(truncatingIfNeeded: s0 >> 32)
                            let lc = UInt32(truncatingIfNeeded: s1), ld = UInt32(truncatingIfNeeded: s1 >> 32)
                            if (la | lb | lc | ld) == 0 { la = 1 }
                            a.storeBytes(of: la, toByteOffset: 4 * l, as: UInt32.self)
                            b.storeBytes(of: lb, toByteOffset: 4 * l, as: UInt32.self)
                            c.storeBytes(of: lc, toByteOffset: 4 * l, as: UInt32.self)
                            d.storeBytes(of: ld, toByteOffset: 4 * l, as: UInt32.self)
                        }
                    }
                }
            }
        }
    }
}

/// A buffered source of N(0, 1) variates for one unit of work (e.g. one row chunk of one
/// update): variates come 64 at a time from eight xoshiro128++ generators in SIMD lanes through
/// a Box–Muller transform with only multiply/add and bit operations (≈ 0.5 ns per variate), so a
/// draw is a load and an increment. The transform runs in the pulse kernels' C module, in the
/// variant the CPU supports (identical values either way; docs/randomness.md states its
/// accuracy). The caller provides the scratch memory (``NoiseSource/scratchFloats`` floats).
package struct NoiseSource {
    /// Floats of scratch a source needs (64 variates and 8 floats of padding, so that a vector
    /// can be loaded at any position).
    package static let scratchFloats = 72

    @usableFromInline var generator: Xoshiro256
    /// The lanes, the buffer and the read position (shared with the C kernels).
    @usableFromInline package var state: cpk_noise

    /// A source drawing from `g`, with `scratch` of at least ``scratchFloats`` floats.
    package init(_ g: Xoshiro256, scratch: UnsafeMutablePointer<Float>) {
        var seed = g
        state = cpk_noise()
        LaneGeneratorSeeding.seed(&state, from: &seed)
        generator = seed
        state.buffer = scratch
        state.position = 64
    }

    /// One N(0, 1) variate.
    @inlinable @inline(__always)
    package mutating func gaussian() -> Float {
        cpk_noise_gaussian(&state)
    }

    /// Fills `out[0..<count]` with N(0, 1) variates, 64 at a time directly from the lanes (`out`
    /// must have room for `count` rounded up to a multiple of 64).
    @inlinable
    package mutating func fill(_ out: UnsafeMutablePointer<Float>, count: Int) {
        cpk_noise_fill(&state, out, Int64(count))
    }

    /// One U[0, 1) variate (from the scalar generator).
    @inlinable @inline(__always)
    package mutating func uniform() -> Float { generator.nextUniform() }
}
