/// Bulk N(0, 1) generation, 64 variates per call: 64 random 32-bit words (from eight SIMD
/// xoshiro128++ lanes, or 32 xoshiro256++ draws), then the Box–Muller transform on SIMD8 lanes
/// with only multiply/add and bit operations (≈ 0.5 ns per variate, against ≈ 3 ns for the
/// scalar ziggurat).
///
/// Accuracy (docs/randomness.md): ln u is evaluated from the float's exponent and a degree-8
/// polynomial of ln(1+f)/f on f ∈ [√½ − 1, √2 − 1) (Chebyshev fit; max abs error 4·10⁻⁸ in
/// float arithmetic); √ by the vector square-root instruction (correctly rounded); sin/cos by
/// Taylor series on a quarter of the circle and two double-angle
/// steps (max error 6·10⁻⁷). Each variate is therefore the exact Box–Muller transform up to
/// single-precision rounding. The radius uses 32 random bits (u₁ ∈ [2⁻³³, 1)), so |z| ≤ 6.77:
/// the tail beyond is cut, probability 1.3·10⁻¹¹ per draw. The angle uses 23 bits.
public enum GaussianBlock {
    /// Variates produced per call of ``fill(_:words:_:)``.
    public static let size = 64

    /// Writes 64 N(0, 1) variates to `out`, using `words` (32 UInt64 of scratch) and `g`.
    @inlinable
    public static func fill(_ out: UnsafeMutablePointer<Float>, words: UnsafeMutablePointer<UInt64>,
                            _ g: inout Xoshiro256) {
        for k in 0..<32 { words[k] = g.next() }
        transform(out, words: words)
    }

    /// Like ``fill(_:words:_:)`` with four generators drawn in turn (their dependency chains
    /// overlap, so the 32 draws cost about a third of one generator's).
    @inlinable
    public static func fill(_ out: UnsafeMutablePointer<Float>, words: UnsafeMutablePointer<UInt64>,
                            _ g: inout (Xoshiro256, Xoshiro256, Xoshiro256, Xoshiro256)) {
        for k in 0..<8 {
            words[4 &* k] = g.0.next()
            words[4 &* k &+ 1] = g.1.next()
            words[4 &* k &+ 2] = g.2.next()
            words[4 &* k &+ 3] = g.3.next()
        }
        transform(out, words: words)
    }

    /// The transform of 32 words into 64 variates (out[0..<32] cosines, out[32..<64] sines).
    /// All 32 lanes are processed together (SIMD32: four independent AVX chains), so the long
    /// polynomial dependency chains overlap.
    @inlinable @inline(__always)
    static func transform(_ out: UnsafeMutablePointer<Float>, words: UnsafeMutablePointer<UInt64>) {
        let raw = UnsafeRawPointer(words)
        @inline(__always) func half(_ k: Int) -> (SIMD8<UInt32>, SIMD8<UInt32>) {
            let v = raw.loadUnaligned(fromByteOffset: 64 * k, as: SIMD16<UInt32>.self)
            return (v.evenHalf, v.oddHalf)
        }
        let (l0, h0) = half(0), (l1, h1) = half(1), (l2, h2) = half(2), (l3, h3) = half(3)
        let (c, s) = boxMuller(lo: Bits(l0, l1, l2, l3), hi: Bits(h0, h1, h2, h3))
        let dst = UnsafeMutableRawPointer(out)
        c.store(to: dst)
        s.store(to: dst + 128)
    }

    @usableFromInline typealias Lanes = Quad<Float>
    @usableFromInline typealias Bits = Quad<UInt32>

    /// Uniform [0, 1) floats from the top 23 bits of each lane: 1.m − 1.
    @inlinable @inline(__always)
    static func unit(_ bits: Bits) -> Lanes {
        ((bits &>> 9) | Bits(repeating: 0x3F80_0000)).floats - Lanes(repeating: 1)
    }

    /// Box–Muller for 32 pairs: radius from the 32 bits of `hi`, angle from 23 bits of `lo`.
    /// (Not inlinable: it uses the vector square-root instruction through the clang intrinsics
    /// module, which only this module imports; callers in this module inline it all the same.)
    @usableFromInline @inline(__always)
    static func boxMuller(lo: Bits, hi: Bits) -> (Lanes, Lanes) {
        // u1 = top 23 bits + next 9 bits · 2⁻²³ + 2⁻³³ ∈ (0, 1).
        let u1 = unit(hi) + unit((hi & Bits(repeating: 0x1FF)) &<< 23) * Lanes(repeating: 1.0 / 8_388_608.0)
            + Lanes(repeating: 1.0 / 8_589_934_592.0)
        // ln u1 = e·ln2 + ln m with m ∈ [√½, √2) (musl's offset trick), ln m = f·P(f), f = m − 1.
        let ix = u1.bits &+ Bits(repeating: 0x3F80_0000 &- 0x3F35_04F3)
        let biased = ((ix &>> 23) | Bits(repeating: 0x4B00_0000)).floats - Lanes(repeating: 8_388_608 + 127)
        let e = biased
        let f = ((ix & Bits(repeating: 0x007F_FFFF)) &+ Bits(repeating: 0x3F35_04F3)).floats - Lanes(repeating: 1)
        var p = Lanes(repeating: 0.087_439_455_091_953_28)
        p = Lanes(repeating: -0.143_773_302_435_874_94).addingProduct(p, f)
        p = Lanes(repeating: 0.149_490_952_491_760_25).addingProduct(p, f)
        p = Lanes(repeating: -0.165_606_960_654_258_73).addingProduct(p, f)
        p = Lanes(repeating: 0.199_569_776_654_243_47).addingProduct(p, f)
        p = Lanes(repeating: -0.250_021_547_079_086_3).addingProduct(p, f)
        p = Lanes(repeating: 0.333_341_836_929_321_3).addingProduct(p, f)
        p = Lanes(repeating: -0.499_999_880_790_710_45).addingProduct(p, f)
        p = Lanes(repeating: 1).addingProduct(p, f)
        let ln2 = Lanes(repeating: 0.693_147_18)
        let x = Lanes(repeating: -2) * (e * ln2 + f * p)
        let radius = x.squareRoot()
        // 2π·u2 = φ + π with φ ∈ [−π, π); quarter angle q = φ/4 ∈ [−π/4, π/4).
        let q = (unit(lo) - Lanes(repeating: 0.5)) * Lanes(repeating: Float.pi / 2)
        let q2 = q * q
        var ps = Lanes(repeating: 1.0 / 362_880)
        ps = Lanes(repeating: -1.0 / 5040).addingProduct(ps, q2)
        ps = Lanes(repeating: 1.0 / 120).addingProduct(ps, q2)
        ps = Lanes(repeating: -1.0 / 6).addingProduct(ps, q2)
        ps = Lanes(repeating: 1).addingProduct(ps, q2)
        let s1 = q * ps
        var pc = Lanes(repeating: -1.0 / 3_628_800)
        pc = Lanes(repeating: 1.0 / 40320).addingProduct(pc, q2)
        pc = Lanes(repeating: -1.0 / 720).addingProduct(pc, q2)
        pc = Lanes(repeating: 1.0 / 24).addingProduct(pc, q2)
        pc = Lanes(repeating: -0.5).addingProduct(pc, q2)
        let c1 = Lanes(repeating: 1).addingProduct(pc, q2)
        let two = Lanes(repeating: 2)
        let s2 = two * s1 * c1
        let c2 = c1 * c1 - s1 * s1
        let s4 = two * s2 * c2
        let c4 = c2 * c2 - s2 * s2
        // sin(φ + π) = −sin φ, cos(φ + π) = −cos φ.
        let minusRadius = Lanes(repeating: 0) - radius
        return (minusRadius * c4, minusRadius * s4)
    }
}

/// Eight xoshiro128++ generators (Blackman & Vigna 2019) in the lanes of SIMD registers:
/// one step yields eight independent 32-bit words with a dozen vector instructions. Each lane
/// is seeded with two SplitMix64 outputs of the owner's generator.
public struct LaneGenerator: Sendable {
    @usableFromInline var a: SIMD8<UInt32>
    @usableFromInline var b: SIMD8<UInt32>
    @usableFromInline var c: SIMD8<UInt32>
    @usableFromInline var d: SIMD8<UInt32>

    public init(seed g: inout Xoshiro256) {
        var a = SIMD8<UInt32>(), b = SIMD8<UInt32>(), c = SIMD8<UInt32>(), d = SIMD8<UInt32>()
        for l in 0..<8 {
            var sm = SplitMix64(seed: g.next())
            let s0 = sm.next(), s1 = sm.next()
            a[l] = UInt32(truncatingIfNeeded: s0); b[l] = UInt32(truncatingIfNeeded: s0 >> 32)
            c[l] = UInt32(truncatingIfNeeded: s1); d[l] = UInt32(truncatingIfNeeded: s1 >> 32)
            if (a[l] | b[l] | c[l] | d[l]) == 0 { a[l] = 1 }
        }
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    /// Eight 32-bit outputs (xoshiro128++: rotl(a + d, 7) + a).
    @inlinable @inline(__always)
    public mutating func next() -> SIMD8<UInt32> {
        let sum = a &+ d
        let result = ((sum &<< 7) | (sum &>> 25)) &+ a
        let t = b &<< 9
        c ^= a
        d ^= b
        b ^= c
        a ^= d
        c ^= t
        d = (d &<< 11) | (d &>> 21)
        return result
    }
}

extension GaussianBlock {
    /// Writes 64 N(0, 1) variates to `out` from eight SIMD lanes: four steps give the 32-bit
    /// radius words, four more the angle words.
    @inlinable @inline(__always)
    public static func fill(_ out: UnsafeMutablePointer<Float>, lanes g: inout LaneGenerator) {
        let h0 = g.next(), h1 = g.next(), h2 = g.next(), h3 = g.next()
        let l0 = g.next(), l1 = g.next(), l2 = g.next(), l3 = g.next()
        let (c, s) = boxMuller(lo: Bits(l0, l1, l2, l3), hi: Bits(h0, h1, h2, h3))
        let dst = UnsafeMutableRawPointer(out)
        c.store(to: dst)
        s.store(to: dst + 128)
    }
}

/// A buffered source of N(0, 1) variates for one unit of work (e.g. one row chunk of one
/// update): variates come 64 at a time from ``GaussianBlock`` on eight SIMD generator lanes,
/// so a draw is a load and an increment. The caller provides the scratch memory
/// (``NoiseSource/scratchFloats`` floats).
public struct NoiseSource {
    /// Floats of scratch a source needs (64 variates and 8 floats of padding, so that
    /// ``nextCompressed(_:)`` can load a whole vector at any position).
    public static let scratchFloats = 72

    @usableFromInline var generator: Xoshiro256
    @usableFromInline var lanes: LaneGenerator
    @usableFromInline let buffer: UnsafeMutablePointer<Float>
    @usableFromInline var position: Int

    /// A source drawing from `g`, with `scratch` of at least ``scratchFloats`` floats.
    public init(_ g: Xoshiro256, scratch: UnsafeMutablePointer<Float>) {
        var seed = g
        lanes = LaneGenerator(seed: &seed)
        generator = seed
        buffer = scratch
        position = 64
    }

    /// One N(0, 1) variate.
    @inlinable @inline(__always)
    public mutating func gaussian() -> Float {
        if position == 64 { refill() }
        let z = buffer[position]
        position &+= 1
        return z
    }

    /// Fills `out[0..<count]` with N(0, 1) variates, 64 at a time directly from the block
    /// generator (`out` must have room for `count` rounded up to a multiple of 64).
    @inlinable
    public mutating func fill(_ out: UnsafeMutablePointer<Float>, count: Int) {
        var k = 0
        while k < count {
            GaussianBlock.fill(out + k, lanes: &lanes)
            k += 64
        }
    }

    /// The next `k` ≤ 8 variates in lanes 0..<k of a vector (the other lanes hold values that
    /// must not be used). A block with fewer than `k` variates left is discarded first.
    @inlinable @inline(__always)
    public mutating func nextCompressed(_ k: Int) -> SIMD8<Float> {
        if position &+ k > 64 { refill() }
        let v = UnsafeRawPointer(buffer + position).loadUnaligned(as: SIMD8<Float>.self)
        position &+= k
        return v
    }

    /// The next block of 64 variates into the buffer. Out of line, so that the loops drawing
    /// from the buffer keep their values in registers (the block transform needs most of them).
    @usableFromInline @inline(never)
    mutating func refill() {
        GaussianBlock.fill(buffer, lanes: &lanes)
        position = 0
    }

    /// One U[0, 1) variate (from the scalar generator).
    @inlinable @inline(__always)
    public mutating func uniform() -> Float { generator.nextUniform() }
}

/// Four SIMD8 vectors operated on together: every operation issues four independent AVX
/// instructions, so long polynomial chains overlap (instruction-level parallelism) while each
/// piece stays on the well-optimised SIMD8 code paths.
@usableFromInline
struct Quad<Scalar: SIMDScalar> {
    @usableFromInline var a: SIMD8<Scalar>
    @usableFromInline var b: SIMD8<Scalar>
    @usableFromInline var c: SIMD8<Scalar>
    @usableFromInline var d: SIMD8<Scalar>

    @inlinable @inline(__always)
    init(_ a: SIMD8<Scalar>, _ b: SIMD8<Scalar>, _ c: SIMD8<Scalar>, _ d: SIMD8<Scalar>) {
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    @inlinable @inline(__always)
    init(repeating v: Scalar) {
        let x = SIMD8<Scalar>(repeating: v)
        self.init(x, x, x, x)
    }
}

extension Quad where Scalar == Float {
    /// Lane-wise √, correctly rounded (``LaneOps/squareRoot(_:)``: vsqrtps on x86-64).
    @usableFromInline @inline(__always)
    func squareRoot() -> Quad {
        Quad(LaneOps.squareRoot(a), LaneOps.squareRoot(b), LaneOps.squareRoot(c), LaneOps.squareRoot(d))
    }

    @inlinable @inline(__always)
    static func + (l: Quad, r: Quad) -> Quad { Quad(l.a + r.a, l.b + r.b, l.c + r.c, l.d + r.d) }
    @inlinable @inline(__always)
    static func - (l: Quad, r: Quad) -> Quad { Quad(l.a - r.a, l.b - r.b, l.c - r.c, l.d - r.d) }
    @inlinable @inline(__always)
    static func * (l: Quad, r: Quad) -> Quad { Quad(l.a * r.a, l.b * r.b, l.c * r.c, l.d * r.d) }
    /// self + b·c with one rounding (FMA).
    @inlinable @inline(__always)
    func addingProduct(_ b: Quad, _ c: Quad) -> Quad {
        Quad(a.addingProduct(b.a, c.a), self.b.addingProduct(b.b, c.b), self.c.addingProduct(b.c, c.c), d.addingProduct(b.d, c.d))
    }
    @inlinable @inline(__always)
    var bits: Quad<UInt32> {
        Quad<UInt32>(unsafeBitCast(a, to: SIMD8<UInt32>.self), unsafeBitCast(b, to: SIMD8<UInt32>.self),
                     unsafeBitCast(c, to: SIMD8<UInt32>.self), unsafeBitCast(d, to: SIMD8<UInt32>.self))
    }
    @inlinable @inline(__always)
    func store(to p: UnsafeMutableRawPointer) {
        p.storeBytes(of: a, as: SIMD8<Float>.self)
        p.storeBytes(of: b, toByteOffset: 32, as: SIMD8<Float>.self)
        p.storeBytes(of: c, toByteOffset: 64, as: SIMD8<Float>.self)
        p.storeBytes(of: d, toByteOffset: 96, as: SIMD8<Float>.self)
    }
}

extension Quad where Scalar == UInt32 {
    @inlinable @inline(__always)
    static func &+ (l: Quad, r: Quad) -> Quad { Quad(l.a &+ r.a, l.b &+ r.b, l.c &+ r.c, l.d &+ r.d) }
    @inlinable @inline(__always)
    static func &- (l: Quad, r: Quad) -> Quad { Quad(l.a &- r.a, l.b &- r.b, l.c &- r.c, l.d &- r.d) }
    @inlinable @inline(__always)
    static func & (l: Quad, r: Quad) -> Quad { Quad(l.a & r.a, l.b & r.b, l.c & r.c, l.d & r.d) }
    @inlinable @inline(__always)
    static func | (l: Quad, r: Quad) -> Quad { Quad(l.a | r.a, l.b | r.b, l.c | r.c, l.d | r.d) }
    @inlinable @inline(__always)
    static func &>> (l: Quad, r: UInt32) -> Quad { Quad(l.a &>> r, l.b &>> r, l.c &>> r, l.d &>> r) }
    @inlinable @inline(__always)
    static func &<< (l: Quad, r: UInt32) -> Quad { Quad(l.a &<< r, l.b &<< r, l.c &<< r, l.d &<< r) }
    @inlinable @inline(__always)
    var floats: Quad<Float> {
        Quad<Float>(unsafeBitCast(a, to: SIMD8<Float>.self), unsafeBitCast(b, to: SIMD8<Float>.self),
                    unsafeBitCast(c, to: SIMD8<Float>.self), unsafeBitCast(d, to: SIMD8<Float>.self))
    }
}
