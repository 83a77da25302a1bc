import CPulseKernels
import CrossbarFoundation

/// The bit lines of the stochastic pulse types (docs/devices.md, "The pulsed update"): per
/// active column and row a BL-slot mask, slot s set with probability p_x,j resp. p_d,i, drawn
/// from the sample's pulse generator in a fixed order (columns, then rows); for BL ≤ 64 also
/// the per-slot column lists of the rows that fire in one slot only.
extension PulsedUpdateEngine {
    /// BL Bernoulli(p) slots as bits (0 < p < 1); the uniform for each slot is one 32-bit half
    /// of a 64-bit draw, compared with ⌈p·2³²⌉ (probability exact to 2⁻³²).
    @inline(__always)
    func bernoulliMask(_ p: Float, bits: Int, _ g: inout Xoshiro256) -> UInt64 {
        let threshold = UInt64(Rounding.up(Double(p) * 4_294_967_296.0))
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
