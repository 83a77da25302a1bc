import CPulseKernels
import CrossbarFoundation

/// The bit lines of the stochastic pulse types (docs/devices.md, "The pulsed update"): per
/// active column and row a BL-slot mask, slot s set with probability p_x,j resp. p_d,i, drawn
/// from the sample's pulse generator in a fixed order (columns, then rows); for BL ≤ 64 also
/// the per-slot column lists of the rows that fire in one slot only.
extension PulsedUpdateEngine {
    /// Trains of at most this many slots compare one 32-bit uniform per slot
    /// (``bernoulliMaskSlotBySlot(_:bits:_:)``); longer ones decide all slots bit-serially
    /// (``bernoulliMaskBitSerial(threshold:bits:_:)``), which needs fewer draws from about 10
    /// slots on. Both give exactly the same distribution.
    static let slotBySlotMaxBits = 10

    /// BL Bernoulli(p) slots as bits (0 < p < 1, BL ≤ 64): slot s fires when its 32-bit uniform
    /// u_s is below t = ⌈p·2³²⌉ (probability t/2³², exact to 2⁻³²). Short trains (update
    /// BL management often gives a few slots) draw u_s slot by slot, long ones bit-serially.
    @inline(__always)
    func bernoulliMask(_ p: Float, bits: Int, _ g: inout Xoshiro256) -> UInt64 {
        let threshold = UInt64(Rounding.up(Double(p) * 4_294_967_296.0))
        if bits <= Self.slotBySlotMaxBits { return Self.bernoulliMaskSlotBySlot(threshold: threshold, bits: bits, &g) }
        return Self.bernoulliMaskBitSerial(threshold: threshold, bits: bits, &g)
    }

    /// u_s < t slot by slot: each slot's uniform is one 32-bit half of a 64-bit draw.
    @inline(__always)
    static func bernoulliMaskSlotBySlot(threshold: UInt64, bits: Int, _ g: inout Xoshiro256) -> UInt64 {
        var mask: UInt64 = 0
        var k = 0
        while k < bits {
            let r = g.next()
            mask |= ((r & 0xFFFF_FFFF) < threshold ? 1 : 0) << UInt64(k)
            if k + 1 < bits { mask |= ((r >> 32) < threshold ? 1 : 0) << UInt64(k + 1) }
            k += 2
        }
        return mask
    }

    /// u_s < t for all slots at once, decided bit by bit from the most significant: at level k
    /// every still-undecided slot gets the next random bit of its u_s (bit s of a fresh random
    /// word). Where that bit differs from bit k of t the slot is decided (u_s's bit 0 against
    /// t's 1: fires; 1 against 0: does not), where it equals it the slot stays undecided; slots
    /// still undecided after all 32 levels have u_s = t and do not fire. Every u_s is thus built
    /// from independent uniform bits, so the mask has exactly the distribution of comparing
    /// 32-bit uniforms slot by slot — but half the undecided slots are decided per level, so a
    /// 31-slot mask needs 8 levels (4 draws: two 32-bit levels per 64-bit draw) and rarely more,
    /// instead of 16 draws.
    @inline(__always)
    static func bernoulliMaskBitSerial(threshold: UInt64, bits: Int, _ g: inout Xoshiro256) -> UInt64 {
        let all: UInt64 = bits >= 64 ? ~0 : (UInt64(1) << UInt64(bits)) &- 1
        var undecided = all
        var fire: UInt64 = 0
        @inline(__always) func level(_ k: Int, _ r: UInt64) {
            if (threshold >> UInt64(k)) & 1 != 0 {
                fire |= undecided & ~r
                undecided &= r
            } else {
                undecided &= ~r
            }
        }
        var k = 31
        if bits <= 32 {
            // Two levels per draw: the low half for level k, the high half for level k − 1. The
            // first 8 levels (4 draws) run unconditionally — after them a slot is still undecided
            // with probability 2⁻⁸, so the loop that follows rarely runs and the branch is
            // predictable, where an exit test after every level mispredicts once per mask.
            for _ in 0..<4 {
                let r = g.next()
                level(k, r)
                level(k - 1, r >> 32)
                k -= 2
            }
            while undecided != 0 && k >= 0 {
                let r = g.next()
                level(k, r)
                level(k - 1, r >> 32)
                k -= 2
            }
        } else {
            for _ in 0..<8 {
                level(k, g.next())
                k -= 1
            }
            while undecided != 0 && k >= 0 {
                level(k, g.next())
                k -= 1
            }
        }
        return fire
    }

    /// Writes the `words`-word mask of BL slots firing with probability p into `out`.
    /// Returns false if no slot fires.
    @inline(__always)
    func fillMask(_ p: Float, bl: Int, words: Int, into out: UnsafeMutablePointer<UInt64>,
                  _ g: inout Xoshiro256) -> Bool {
        var any: UInt64 = 0
        for w in 0..<words {
            let bits = min(64, bl - 64 * w)
            let m: UInt64
            if p >= 1 {
                m = bits == 64 ? ~0 : (UInt64(1) << UInt64(bits)) - 1
            } else {
                m = bernoulliMask(p, bits: bits, &g)
            }
            out[w] = m
            any |= m
        }
        return any != 0
    }

    /// The column bit lines: for every column with p_x,j > 0 and a slot that fires, its index,
    /// sign (negative when sgn(x_j)·sgn(η) < 0) and mask, compacted in column order; for one
    /// word also the dense per-column masks and signs of the SIMD row pass. Sets the plan's
    /// `activeColumns`, `uniformColumnSign`, `columnFiringRate` and `usesHighMaskWord`.
    func buildColumnMasks(_ x: PulseSource, train: UpdatePlan, words: Int, q: ProbabilityQuantizer,
                          signs: UnsafePointer<Int8>?, etaNeg: Bool, into plan: inout SamplePulsePlan,
                          _ g: inout Xoshiro256) {
        let cap = cols
        let idx = activeCols.ensure(cap)
        let neg = activeNeg.ensure(cap)
        let masks = activeMask.ensure(cap * words)
        let dLow = denseMaskLow.ensure(cols)
        let dSign = denseSign.ensure(cols)
        let useMaskHigh = train.bl > 32
        let dHigh = denseMaskHigh.ensure(cols)
        if words == 1 {
            dLow.initialize(repeating: 0, count: cols)
            dSign.initialize(repeating: 1, count: cols)
            if useMaskHigh { dHigh.initialize(repeating: 0, count: cols) }
        }
        var n = 0
        var positive = 0
        func consider(_ j: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[j] < 0 { v = -v }
            if v == 0 { return }
            let p = q(abs(v) * train.scaleX, &g)
            if p <= 0 { return }
            if fillMask(p, bl: train.bl, words: words, into: masks + n * words, &g) {
                idx[n] = Int32(j)
                let isNeg = (v < 0) != etaNeg
                neg[n] = isNeg ? 1 : 0
                positive += isNeg ? 0 : 1
                if words == 1 {
                    dLow[j] = UInt32(truncatingIfNeeded: masks[n])
                    if useMaskHigh { dHigh[j] = UInt32(truncatingIfNeeded: masks[n] >> 32) }
                    dSign[j] = isNeg ? -1 : 1
                }
                n += 1
            }
        }
        switch x {
        case let .dense(p): for j in 0..<cols { consider(j, p[j]) }
        case let .oneHot(index, v): consider(index, v)
        }
        // One counting pass in the C kernels (POPCNT where the CPU has it; the Swift code is
        // compiled for the x86-64 baseline, where a per-column popcount is a bit-twiddling loop).
        let firings = words == 1 ? Int(cpk_popcount_sum(masks, Int64(n))) : 0
        plan.activeColumns = n
        plan.uniformColumnSign = positive == n ? 1 : (positive == 0 ? -1 : 0)
        plan.columnFiringRate = Float(firings) / Float(cols * train.bl)
        plan.usesHighMaskWord = useMaskHigh
    }

    /// The row bit lines: mask and sign of every row (zero mask for rows without a pulse).
    /// Sets the plan's `activeRows` and `singleSlotRows`.
    func buildRowMasks(_ d: PulseSource, train: UpdatePlan, words: Int, q: ProbabilityQuantizer,
                       signs: UnsafePointer<Int8>?, into plan: inout SamplePulsePlan, _ g: inout Xoshiro256) {
        let masks = rowMask.ensure(rows * words)
        let neg = rowNeg.ensure(rows)
        masks.initialize(repeating: 0, count: rows * words)
        var active = 0, single = 0
        func consider(_ i: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[i] < 0 { v = -v }
            if v == 0 { return }
            let p = q(abs(v) * train.scaleD, &g)
            if p <= 0 { return }
            let m = masks + i * words
            if fillMask(p, bl: train.bl, words: words, into: m, &g) {
                neg[i] = v < 0 ? 1 : 0
                active += 1
                if words == 1 && m[0] & (m[0] &- 1) == 0 { single += 1 }
            }
        }
        switch d {
        case let .dense(p): for i in 0..<rows { consider(i, p[i]) }
        case let .oneHot(index, v): consider(index, v)
        }
        plan.activeRows = active
        plan.singleSlotRows = single
    }

    /// For BL ≤ 64: per slot s, the ascending list of active columns firing in s (rows whose
    /// bit line fires in one slot only visit just those columns).
    func buildSlotLists(bl: Int, activeColumns: Int) {
        let start = slotStart.ensure(bl + 1)
        start.initialize(repeating: 0, count: bl + 1)
        let masks = activeMask.pointer
        var total = 0
        for a in 0..<activeColumns {
            var m = masks[a]
            while m != 0 {
                start[m.trailingZeroBitCount + 1] += 1
                m &= m &- 1
                total += 1
            }
        }
        for s in 0..<bl { start[s + 1] += start[s] }
        let listCols = slotCols.ensure(max(total, 1))
        let listNeg = slotNeg.ensure(max(total, 1))
        let cur = slotCursor.ensure(bl)
        for s in 0..<bl { cur[s] = start[s] }
        let idx = activeCols.pointer, neg = activeNeg.pointer
        for a in 0..<activeColumns {
            var m = masks[a]
            while m != 0 {
                let s = m.trailingZeroBitCount
                let pos = Int(cur[s])
                listCols[pos] = idx[a]
                listNeg[pos] = neg[a]
                cur[s] += 1
                m &= m &- 1
            }
        }
    }
}
