import CrossbarFoundation

/// Inputs of one dense row: the column side of the sample's bit lines and scratch.
struct DenseRowInputs {
    /// Per column: bits 0..<32 of the x bit-line mask (0 for inactive columns), length cols.
    let columnMasksLow: UnsafePointer<UInt32>
    /// Per column: bits 32..<64 of the mask, or nil when BL ≤ 32.
    let columnMasksHigh: UnsafePointer<UInt32>?
    /// Per column: +1 or −1, the sign of x_j (with chopper and learning-rate sign).
    let columnSigns: UnsafePointer<Int32>
    /// +1 or −1 when every active column has that sign, 0 when the signs differ.
    let uniformSign: Int32
    /// Out: the coincidence count of every column of the row (cols Int32). Rows firing in one
    /// slot write it only when `countsNeeded` (per-device pulse counters).
    let counts: UnsafeMutablePointer<Int32>
    let countsNeeded: Bool
    /// Scratch: the columns left to the pulse-by-pulse fallback (cols + 8 Int32).
    let fallbackColumns: UnsafeMutablePointer<Int32>
}

extension LinearStepKernel {
    var supportsDenseRows: Bool { true }

    /// Applies row `i`'s coincidences to all `cols` devices of the row, eight columns per SIMD
    /// step (used when a good part of the row receives pulses). Per block of eight columns:
    /// the coincidence counts n; blocks without a pulse are skipped; noise is drawn for the
    /// pulsed devices only (packed draws spread to their lanes); one pulse uses the one-pulse
    /// equation (``onePulse(_:_:_:_:_:mult:)``); in blocks where no device gets more than three
    /// pulses, the further pulses are applied exactly, each from the clipped previous value with
    /// its own noise; more pulses — only in blocks that have such a device — use the closed form of
    /// ``AffinePulseSeries`` where it is valid (``closedFormMarginSigmas``). Devices whose
    /// closed form is not valid (clipping margin, large slopes, multiplicative noise) are listed
    /// and simulated pulse by pulse afterwards (``applyOneAtATime(_:count:down:_:)``); the
    /// columns after the last full block of eight go through ``apply(_:count:down:_:)``.
    /// Same distribution as pulse-by-pulse updates (docs/devices.md); returns (up, down).
    func applyDenseRow(base: Int, cols: Int, rowMask md: UInt64, rowSign: Int32, _ inputs: DenseRowInputs,
                       _ g: inout NoiseSource) -> (up: UInt64, down: UInt64) {
        let blocks: (up: UInt64, down: UInt64, fallback: Int)
        switch (reference != nil, hasSlopes, multNoise, dirty != nil) {
        case (true, true, true, true): blocks = blockPassFor(FlagOn.self, FlagOn.self, FlagOn.self, FlagOn.self, base, cols, md, rowSign, inputs, &g)
        case (true, true, true, false): blocks = blockPassFor(FlagOn.self, FlagOn.self, FlagOn.self, FlagOff.self, base, cols, md, rowSign, inputs, &g)
        case (true, true, false, true): blocks = blockPassFor(FlagOn.self, FlagOn.self, FlagOff.self, FlagOn.self, base, cols, md, rowSign, inputs, &g)
        case (true, true, false, false): blocks = blockPassFor(FlagOn.self, FlagOn.self, FlagOff.self, FlagOff.self, base, cols, md, rowSign, inputs, &g)
        case (true, false, _, true): blocks = blockPassFor(FlagOn.self, FlagOff.self, FlagOff.self, FlagOn.self, base, cols, md, rowSign, inputs, &g)
        case (true, false, _, false): blocks = blockPassFor(FlagOn.self, FlagOff.self, FlagOff.self, FlagOff.self, base, cols, md, rowSign, inputs, &g)
        case (false, true, true, true): blocks = blockPassFor(FlagOff.self, FlagOn.self, FlagOn.self, FlagOn.self, base, cols, md, rowSign, inputs, &g)
        case (false, true, true, false): blocks = blockPassFor(FlagOff.self, FlagOn.self, FlagOn.self, FlagOff.self, base, cols, md, rowSign, inputs, &g)
        case (false, true, false, true): blocks = blockPassFor(FlagOff.self, FlagOn.self, FlagOff.self, FlagOn.self, base, cols, md, rowSign, inputs, &g)
        case (false, true, false, false): blocks = blockPassFor(FlagOff.self, FlagOn.self, FlagOff.self, FlagOff.self, base, cols, md, rowSign, inputs, &g)
        case (false, false, _, true): blocks = blockPassFor(FlagOff.self, FlagOff.self, FlagOff.self, FlagOn.self, base, cols, md, rowSign, inputs, &g)
        case (false, false, _, false): blocks = blockPassFor(FlagOff.self, FlagOff.self, FlagOff.self, FlagOff.self, base, cols, md, rowSign, inputs, &g)
        }
        let signs = inputs.columnSigns, counts = inputs.counts
        // Several pulses the closed form could not take: one at a time, in ascending columns.
        for q in 0..<blocks.fallback {
            let j = Int(inputs.fallbackColumns[q])
            applyOneAtATime(base + j, count: Int(counts[j]), down: rowSign &* signs[j] > 0, &g)
        }
        // Columns after the last full block of eight.
        var up = blocks.up, down = blocks.down
        for j in (cols & ~7)..<cols {
            var n = (inputs.columnMasksLow[j] & UInt32(truncatingIfNeeded: md)).nonzeroBitCount
            if let high = inputs.columnMasksHigh { n += (high[j] & UInt32(truncatingIfNeeded: md >> 32)).nonzeroBitCount }
            counts[j] = Int32(n)
            guard n > 0 else { continue }
            let isDown = rowSign &* signs[j] > 0
            apply(base + j, count: n, down: isDown, &g)
            if isDown { down &+= UInt64(n) } else { up &+= UInt64(n) }
        }
        return (up, down)
    }

    /// The SIMD pass specialised for the row: `Single` — the row fires in one slot (every device
    /// gets at most one pulse); `Uniform` — all active columns have the same sign, so the row has
    /// one pulse direction (no per-lane choice of step and slope).
    @inline(__always)
    private func blockPassFor<Ref: StaticFlag, Sloped: StaticFlag, Mult: StaticFlag, Dirty: StaticFlag>(
        _: Ref.Type, _: Sloped.Type, _: Mult.Type, _: Dirty.Type, _ base: Int, _ cols: Int, _ md: UInt64,
        _ rowSign: Int32, _ inp: DenseRowInputs, _ g: inout NoiseSource
    ) -> (up: UInt64, down: UInt64, fallback: Int) {
        switch (md & (md &- 1) == 0, inp.uniformSign != 0) {
        case (true, true): blockPass(Ref.self, Sloped.self, Mult.self, Dirty.self, FlagOn.self, FlagOn.self, base, cols, md, rowSign, inp, &g)
        case (true, false): blockPass(Ref.self, Sloped.self, Mult.self, Dirty.self, FlagOn.self, FlagOff.self, base, cols, md, rowSign, inp, &g)
        case (false, true): blockPass(Ref.self, Sloped.self, Mult.self, Dirty.self, FlagOff.self, FlagOn.self, base, cols, md, rowSign, inp, &g)
        case (false, false): blockPass(Ref.self, Sloped.self, Mult.self, Dirty.self, FlagOff.self, FlagOff.self, base, cols, md, rowSign, inp, &g)
        }
    }

    /// The SIMD pass over the row's full blocks of eight columns. Returns the (up, down) pulse
    /// counts of those blocks and the number of columns it listed for the fallback.
    @inline(__always)
    private func blockPass<Ref: StaticFlag, Sloped: StaticFlag, Mult: StaticFlag, Dirty: StaticFlag,
                           Single: StaticFlag, Uniform: StaticFlag>(
        _: Ref.Type, _: Sloped.Type, _: Mult.Type, _: Dirty.Type, _: Single.Type, _: Uniform.Type,
        _ base: Int, _ cols: Int, _ md: UInt64, _ rowSign: Int32, _ inp: DenseRowInputs, _ g: inout NoiseSource
    ) -> (up: UInt64, down: UInt64, fallback: Int) {
        typealias F8 = SIMD8<Float>
        typealias I8 = SIMD8<Int32>
        typealias U8 = SIMD8<UInt32>
        let h = UnsafeMutableRawPointer(hidden + base)
        let ref = UnsafeRawPointer((reference ?? UnsafePointer(hidden)) + base)
        let up = UnsafeRawPointer(stepUp + base), dn = UnsafeRawPointer(stepDown + base)
        let su = UnsafeRawPointer(slopeUp + base), sd = UnsafeRawPointer(slopeDown + base)
        let hiB = UnsafeRawPointer(bMax + base), loB = UnsafeRawPointer(bMin + base)
        let dirtyRow = dirty.map { UnsafeMutableRawPointer($0 + base) }
        let masksLow = UnsafeRawPointer(inp.columnMasksLow)
        let masksHigh = UnsafeRawPointer(inp.columnMasksHigh ?? inp.columnMasksLow)
        let signs = UnsafeRawPointer(inp.columnSigns)
        let counts = UnsafeMutableRawPointer(inp.counts)
        let fallbackColumns = UnsafeMutableRawPointer(inp.fallbackColumns)
        let permutations = LanePermutations.shared
        let expand = permutations.expand, compress = permutations.compress
        let mdLow = U8(repeating: UInt32(truncatingIfNeeded: md))
        let mdHigh = U8(repeating: UInt32(truncatingIfNeeded: md >> 32))
        let useHigh = inp.columnMasksHigh != nil && md >> 32 != 0
        // A row firing in one slot s: n = bit s of each column's mask (no population count).
        let slotInHigh = md.trailingZeroBitCount >= 32
        let slot = U8(repeating: UInt32(truncatingIfNeeded: md.trailingZeroBitCount & 31))
        let rowSignV = I8(repeating: rowSign)
        // Uniform column signs: the row's one direction, its step and slope arrays.
        let rowDown = rowSign &* inp.uniformSign > 0
        let rowStep = rowDown ? dn : up, rowSlope = rowDown ? sd : su
        let direction = F8(repeating: rowDown ? -1 : 1)
        let sigma = F8(repeating: self.sigma)
        let margin = F8(repeating: closedFormMarginSigmas)
        let zero = F8(repeating: 0)
        var totalV = I8(repeating: 0), downV = I8(repeating: 0)
        var nFallback = 0
        let storeCounts = inp.countsNeeded
        var b = 0
        let full = cols & ~7
        while b < full {
            let offset = 4 &* b
            if b & 15 == 0 {
                // One cache line of each device array, 256 bytes (eight blocks) ahead: rows are
                // 2 KB per array at 512 columns and only the active ones are visited, so the
                // hardware prefetchers restart often.
                let ahead = offset &+ 256
                LaneOps.prefetch(h + ahead)
                if Ref.on { LaneOps.prefetch(ref + ahead) }
                if Uniform.on {
                    LaneOps.prefetch(rowStep + ahead)
                    if Sloped.on { LaneOps.prefetch(rowSlope + ahead) }
                } else {
                    LaneOps.prefetch(up + ahead)
                    LaneOps.prefetch(dn + ahead)
                    if Sloped.on { LaneOps.prefetch(su + ahead); LaneOps.prefetch(sd + ahead) }
                }
                LaneOps.prefetch(loB + ahead)
                LaneOps.prefetch(hiB + ahead)
            }
            let n: U8
            if Single.on {
                let m = (slotInHigh ? masksHigh : masksLow).loadUnaligned(fromByteOffset: offset, as: U8.self)
                n = (m &>> slot) & U8(repeating: 1)
            } else {
                var c = LaneOps.populationCount(masksLow.loadUnaligned(fromByteOffset: offset, as: U8.self) & mdLow)
                if useHigh { c &+= LaneOps.populationCount(masksHigh.loadUnaligned(fromByteOffset: offset, as: U8.self) & mdHigh) }
                n = c
            }
            let nI = I8(truncatingIfNeeded: n)
            // Counts feed the fallback (several pulses) and the per-device counters.
            if !Single.on || storeCounts { counts.storeBytes(of: nI, toByteOffset: offset, as: I8.self) }
            // Lanes with at least one pulse (0 − n < 0).
            let pulsedBits = LaneOps.signBits(I8(repeating: 0) &- nI)
            if pulsedBits == 0 {
                b &+= 8
                continue
            }
            totalV &+= nI
            let hv = h.loadUnaligned(fromByteOffset: offset, as: F8.self)
            let r = Ref.on ? ref.loadUnaligned(fromByteOffset: offset, as: F8.self) : zero
            let x = hv + r
            // |c| and c = ±|c| (up: +Δ⁺, down: −Δ⁻); s likewise.
            let ac: F8, c: F8, s: F8
            if Uniform.on {
                ac = rowStep.loadUnaligned(fromByteOffset: offset, as: F8.self)
                c = ac * direction
                s = Sloped.on ? rowSlope.loadUnaligned(fromByteOffset: offset, as: F8.self) * direction : zero
            } else {
                // s = sgn(d)·sgn(x) = +1 ⇒ down pulse (spec §1.5).
                let downI = (rowSignV &* signs.loadUnaligned(fromByteOffset: offset, as: I8.self) &+ 1) &>> 1
                downV &+= downI &* nI
                let isDown = downI .!= I8(repeating: 0)
                ac = up.loadUnaligned(fromByteOffset: offset, as: F8.self)
                    .replacing(with: dn.loadUnaligned(fromByteOffset: offset, as: F8.self), where: isDown)
                c = ac.replacing(with: zero - ac, where: isDown)
                if Sloped.on {
                    let sMagnitude = su.loadUnaligned(fromByteOffset: offset, as: F8.self)
                        .replacing(with: sd.loadUnaligned(fromByteOffset: offset, as: F8.self), where: isDown)
                    s = sMagnitude.replacing(with: zero - sMagnitude, where: isDown)
                } else {
                    s = zero
                }
            }
            let lo = loB.loadUnaligned(fromByteOffset: offset, as: F8.self)
            let hi = hiB.loadUnaligned(fromByteOffset: offset, as: F8.self)
            // The noise of exactly the pulsed lanes, spread to them.
            let z = LaneOps.permute(g.nextCompressed(pulsedBits.nonzeroBitCount), expand[pulsedBits])
            // One pulse (the equation of LinearStepKernel.onePulse, lane-wise).
            let step = c.addingProduct(s, x)
            var xNew = Mult.on ? (x + step).addingProduct(step * sigma, z) : (x + step).addingProduct(ac * sigma, z)
            var keep = pulsedBits ^ 0xFF
            // Lanes with several pulses (1 − n < 0).
            let severalBits = Single.on ? 0 : LaneOps.signBits(I8(repeating: 1) &- nI)
            let threeBits = severalBits == 0 ? 0 : LaneOps.signBits(I8(repeating: 2) &- nI)
            if severalBits != 0 && LaneOps.signBits(I8(repeating: 3) &- nI) == 0 {
                // At most three pulses per device: the further pulses exactly, each from the
                // clipped previous value with its own noise (no closed form, no fallback).
                xNew = Self.nextPulse(xNew, severalBits, c, s, ac, lo, hi, sigma, mult: Mult.on, expand, &g)
                if threeBits != 0 { xNew = Self.nextPulse(xNew, threeBits, c, s, ac, lo, hi, sigma, mult: Mult.on, expand, &g) }
            } else if severalBits != 0 {
                let several = LaneOps.laneMask(severalBits)
                var invalidBits = severalBits
                if !Mult.on {
                    let fn = F8(nI)
                    let mean: F8, spread: F8, slack: F8
                    if Sloped.on {
                        let e = AffinePulseSeries.evaluate(x: x, n: fn, c: c, s: s)
                        mean = e.mean
                        spread = ac * sigma * LaneOps.squareRoot(e.s2.replacing(with: zero, where: e.s2 .< zero))
                        slack = e.slack
                    } else {
                        mean = x.addingProduct(fn, c)
                        spread = ac * sigma * LaneOps.squareRoot(fn)
                        slack = F8(repeating: 1)
                    }
                    // Valid when the unclipped trajectory keeps `margin` standard deviations
                    // from both bounds and the series converge.
                    let m = margin * spread
                    let least = x.replacing(with: mean, where: mean .< x)
                    let most = x.replacing(with: mean, where: mean .> x)
                    let invalid = (least - m .< lo) .| (most + m .> hi) .| (slack .< zero)
                    invalidBits = severalBits & LaneOps.signBits(I8(repeating: 0).replacing(with: -1, where: invalid))
                    xNew = xNew.replacing(with: mean.addingProduct(spread, z), where: several)
                }
                if invalidBits != 0 {
                    let columns = I8(0, 1, 2, 3, 4, 5, 6, 7) &+ I8(repeating: Int32(truncatingIfNeeded: b))
                    fallbackColumns.storeBytes(of: LaneOps.permute(columns, compress[invalidBits]),
                                               toByteOffset: 4 &* nFallback, as: I8.self)
                    nFallback &+= invalidBits.nonzeroBitCount
                    keep |= invalidBits
                }
            }
            xNew = xNew.replacing(with: lo, where: xNew .< lo)
            xNew = xNew.replacing(with: hi, where: xNew .> hi)
            h.storeBytes(of: (xNew - r).replacing(with: hv, where: LaneOps.laneMask(keep)), toByteOffset: offset, as: F8.self)
            if Dirty.on, let dirtyRow {
                // Every pulsed device (the fallback marks its own again).
                let d = dirtyRow.loadUnaligned(fromByteOffset: b, as: UInt64.self)
                dirtyRow.storeBytes(of: d | LaneOps.bytes(pulsedBits), toByteOffset: b, as: UInt64.self)
            }
            b &+= 8
        }
        let total = UInt64(UInt32(bitPattern: totalV.wrappedSum()))
        let down = Uniform.on ? (rowDown ? total : 0) : UInt64(UInt32(bitPattern: downV.wrappedSum()))
        return (total &- down, down, nFallback)
    }
}

extension LinearStepKernel {
    /// One more pulse for the lanes of `bits`: from x clipped to [lo, hi], with one packed draw
    /// per lane (the one-pulse equation); other lanes keep x. (Transparent: always inlined into
    /// the SIMD loop, where a call would spill every vector register.)
    @_transparent
    static func nextPulse(_ x: SIMD8<Float>, _ bits: Int, _ c: SIMD8<Float>, _ s: SIMD8<Float>, _ ac: SIMD8<Float>,
                          _ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ sigma: SIMD8<Float>, mult: Bool,
                          _ expand: UnsafeMutablePointer<SIMD8<Int32>>, _ g: inout NoiseSource) -> SIMD8<Float> {
        let xk = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        let z = LaneOps.permute(g.nextCompressed(bits.nonzeroBitCount), expand[bits])
        let step = c.addingProduct(s, xk)
        let next = mult ? (xk + step).addingProduct(step * sigma, z) : (xk + step).addingProduct(ac * sigma, z)
        return xk.replacing(with: next, where: LaneOps.laneMask(bits))
    }

    /// One pulse each to devices base + columns[q] (the sparse path of rows whose bit line
    /// fires in a single slot): the one-pulse equation of ``apply(_:count:down:_:)`` in a
    /// tight loop specialised for the model's options, with the noise drawn up front.
    /// `noise` must hold room for `count` rounded up to 64 floats.
    func applySingles(base: Int, columns: UnsafePointer<Int32>, negative: UnsafePointer<UInt8>, count: Int,
                      rowNegative: UInt8, noise: UnsafeMutablePointer<Float>,
                      _ g: inout NoiseSource) -> (up: UInt64, down: UInt64) {
        if sigma != 0 { g.fill(noise, count: count) } else { noise.update(repeating: 0, count: count) }
        let down: Int
        switch (reference != nil, hasSlopes, multNoise) {
        case (true, true, true): down = singlesLoop(FlagOn.self, FlagOn.self, FlagOn.self, base, columns, negative, count, rowNegative, noise)
        case (true, true, false): down = singlesLoop(FlagOn.self, FlagOn.self, FlagOff.self, base, columns, negative, count, rowNegative, noise)
        case (true, false, _): down = singlesLoop(FlagOn.self, FlagOff.self, FlagOff.self, base, columns, negative, count, rowNegative, noise)
        case (false, true, true): down = singlesLoop(FlagOff.self, FlagOn.self, FlagOn.self, base, columns, negative, count, rowNegative, noise)
        case (false, true, false): down = singlesLoop(FlagOff.self, FlagOn.self, FlagOff.self, base, columns, negative, count, rowNegative, noise)
        case (false, false, _): down = singlesLoop(FlagOff.self, FlagOff.self, FlagOff.self, base, columns, negative, count, rowNegative, noise)
        }
        if let dirty {
            let d = dirty + base
            for q in 0..<count { d[Int(columns[q])] = 1 }
        }
        return (UInt64(count - down), UInt64(down))
    }

    @inline(__always)
    private func singlesLoop<Ref: StaticFlag, Sloped: StaticFlag, Mult: StaticFlag>(
        _: Ref.Type, _: Sloped.Type, _: Mult.Type, _ base: Int, _ columns: UnsafePointer<Int32>,
        _ negative: UnsafePointer<UInt8>, _ count: Int, _ rowNegative: UInt8, _ z: UnsafePointer<Float>
    ) -> Int {
        let h = hidden + base
        let ref = (reference ?? UnsafePointer(hidden)) + base
        let up = stepUp + base, dn = stepDown + base, su = slopeUp + base, sd = slopeDown + base
        let hiB = bMax + base, loB = bMin + base
        let sigma = self.sigma
        var nDown = 0
        for q in 0..<count {
            let j = Int(columns[q])
            let isDown = rowNegative == negative[q]
            let r: Float = Ref.on ? ref[j] : 0
            let x = h[j] + r
            let upv = up[j], dnv = dn[j]
            let c = isDown ? -dnv : upv
            let s: Float
            if Sloped.on {
                let suv = su[j], sdv = sd[j]
                s = isDown ? -sdv : suv
            } else {
                s = 0
            }
            let x1 = Self.onePulse(x, c, s, sigma, z[q], mult: Mult.on)
            h[j] = min(max(x1, loB[j]), hiB[j]) - r
            nDown &+= isDown ? 1 : 0
        }
        return nDown
    }
}
