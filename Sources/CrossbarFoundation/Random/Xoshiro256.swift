/// xoshiro256++ (Blackman & Vigna 2019): a fast 64-bit generator with 256 bits of state,
/// seeded through ``SplitMix64`` as its authors recommend.
///
/// CrossbarKit never shares one generator across threads: every unit of parallel work derives
/// its own generator from a ``StreamKey`` and a counter (see ``StreamKey/generator(_:_:)``).
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Seeds the 256-bit state with four SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if (s0 | s1 | s2 | s3) == 0 { s0 = 1 }
    }

    /// A generator with the given raw state (used by bulk samplers that keep the state in
    /// locals; not all-zero).
    @usableFromInline @inline(__always)
    init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        self.s0 = s0; self.s1 = s1; self.s2 = s2; self.s3 = s3
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s0 &+ s3) << 23 | (s0 &+ s3) >> 41) &+ s0
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform Float in [0, 1) with 24 random bits.
    @inlinable @inline(__always)
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform Double in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal variate (ziggurat, see ``Ziggurat``).
    @inlinable @inline(__always)
    public mutating func nextGaussian() -> Float {
        Ziggurat.sample(&self)
    }

    /// Fills `buffer` with U[0, 1) floats.
    @inlinable
    package mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>) {
        for i in buffer.indices { buffer[i] = nextUniform() }
    }

    /// Fills `buffer` with N(mean, std²) floats.
    @inlinable
    package mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        guard let base = buffer.baseAddress else { return }
        Ziggurat.generate(count: buffer.count, &self) { k, z in base[k] = mean + std * z }
    }

    /// Fills an array with U[0, 1) floats.
    public mutating func fillUniform(_ array: inout [Float]) {
        array.withUnsafeMutableBufferPointer { fillUniform($0) }
    }

    /// Fills an array with N(mean, std²) floats.
    public mutating func fillGaussian(_ array: inout [Float], mean: Float = 0, std: Float = 1) {
        array.withUnsafeMutableBufferPointer { fillGaussian($0, mean: mean, std: std) }
    }
}
