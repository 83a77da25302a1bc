import CrossbarFoundation

/// The Swift row loops of the generic path (``PulsedUpdateEngine/run(_:sample:plan:)``), one per
/// ``SamplePulsePlan/Mode``, for the rows r0..<r1 of one chunk: they visit the active columns of
/// every active row, form n_ij and give device i·cols + j its n_ij pulses through the kernel,
/// counting them in `nUp` / `nDown`. (Single-word updates of LinearStep-family arrays use the C
/// row kernels instead.)
extension PulsedUpdateEngine {
    /// Gives device k `n` ≥ 1 pulses (down when `isDown`) and counts them in the totals and,
    /// when enabled, in the device's own counters.
    @inline(__always)
    static func pulse<K: PulseKernel>(_ kern: K, _ k: Int, _ n: Int, _ isDown: Bool, _ g: inout NoiseSource,
                                      _ nUp: inout UInt64, _ nDown: inout UInt64,
                                      _ perDevice: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)?) {
        kern.apply(k, count: n, down: isDown, &g)
        let dn = isDown ? UInt64(n) : 0
        nDown &+= dn
        nUp &+= UInt64(n) &- dn
        if let (pu, pd) = perDevice {
            if isDown { pd[k] &+= UInt32(truncatingIfNeeded: n) } else { pu[k] &+= UInt32(truncatingIfNeeded: n) }
        }
    }

    /// BL ≤ 64: n_ij = popcount(mask_d,i & mask_x,j); rows firing in one slot visit only that
    /// slot's column list (one pulse per listed device).
    @inline(__always)
    static func applySingleWord<K: PulseKernel>(_ kern: K, _ ctx: PulseChunkContext, _ chunk: Int, _ r0: Int, _ r1: Int,
                                                _ g: inout NoiseSource, _ nUp: inout UInt64, _ nDown: inout UInt64) {
        let cols = ctx.cols
        let rowMasks = ctx.rowMasks, rNeg = ctx.rowNeg
        let masks = ctx.masks, idx = ctx.idx, neg = ctx.neg
        let start = ctx.slotStart, listCols = ctx.slotCols, listNeg = ctx.slotNeg
        let na = ctx.activeCount
        let useSlots = ctx.useSlots
        let perDevice = ctx.perDevice
        for i in r0..<r1 {
            let md = rowMasks[i]
            if md == 0 { continue }
            let rn = rNeg[i]
            let base = i * cols
            if useSlots && md & (md &- 1) == 0 {
                let s = md.trailingZeroBitCount
                let q0 = Int(start[s]), q1 = Int(start[s + 1])
                let (u, d) = kern.applySingles(base: base, columns: listCols + q0, negative: listNeg + q0,
                                               count: q1 - q0, rowNegative: rn, noise: ctx.rowNoise + chunk * ctx.rowStride, &g)
                nUp &+= u
                nDown &+= d
                if let (pu, pd) = perDevice {
                    for q in q0..<q1 {
                        let k = base + Int(listCols[q])
                        if rn == listNeg[q] { pd[k] &+= 1 } else { pu[k] &+= 1 }
                    }
                }
            } else {
                for a in 0..<na {
                    let n = (masks[a] & md).nonzeroBitCount
                    if n != 0 {
                        pulse(kern, base + Int(idx[a]), n, rn == neg[a], &g, &nUp, &nDown, perDevice)
                    }
                }
            }
        }
    }

    /// BL > 64: n_ij = Σ_w popcount(mask_d,i[w] & mask_x,j[w]) over the `words` words.
    @inline(__always)
    static func applyMultiWord<K: PulseKernel>(_ kern: K, _ ctx: PulseChunkContext, _ r0: Int, _ r1: Int, _ words: Int,
                                               _ g: inout NoiseSource, _ nUp: inout UInt64, _ nDown: inout UInt64) {
        let cols = ctx.cols
        let rowMasks = ctx.rowMasks, rNeg = ctx.rowNeg
        let masks = ctx.masks, idx = ctx.idx, neg = ctx.neg
        let na = ctx.activeCount
        let perDevice = ctx.perDevice
        for i in r0..<r1 {
            let md = rowMasks + i * words
            var any: UInt64 = 0
            for w in 0..<words { any |= md[w] }
            if any == 0 { continue }
            let rn = rNeg[i]
            let base = i * cols
            for a in 0..<na {
                let mx = masks + a * words
                var n = 0
                for w in 0..<words { n += (mx[w] & md[w]).nonzeroBitCount }
                if n != 0 {
                    pulse(kern, base + Int(idx[a]), n, rn == neg[a], &g, &nUp, &nDown, perDevice)
                }
            }
        }
    }

    /// Deterministic counts: n_ij = rint(f_d,i · f_x,j), down when positive.
    @inline(__always)
    static func applyCounts<K: PulseKernel>(_ kern: K, _ ctx: PulseChunkContext, _ r0: Int, _ r1: Int,
                                            _ g: inout NoiseSource, _ nUp: inout UInt64, _ nDown: inout UInt64) {
        let cols = ctx.cols
        let rv = ctx.rowValue
        let val = ctx.values, idx = ctx.idx
        let na = ctx.activeCount
        let perDevice = ctx.perDevice
        for i in r0..<r1 {
            let fd = rv[i]
            if fd == 0 { continue }
            let base = i * cols
            for a in 0..<na {
                let n = Int(Rounding.toNearestEven(fd * val[a]))
                if n != 0 {
                    pulse(kern, base + Int(idx[a]), abs(n), n > 0, &g, &nUp, &nDown, perDevice)
                }
            }
        }
    }
}
