/// Compile-time switches of the dense-row loop (the loop is specialised per combination, so
/// the switches cost nothing inside it).
protocol StaticFlag { static var on: Bool { get } }
enum FlagOn: StaticFlag { static var on: Bool { true } }
enum FlagOff: StaticFlag { static var on: Bool { false } }

/// Inputs of one dense row: the column side of the sample's bit lines and scratch.
struct DenseRowInputs {
    /// Per column: the x bit-line mask (0 for inactive columns), length cols.
    let columnMasks: UnsafePointer<UInt64>
    /// The same masks as 32-bit words when BL ≤ 32 (nil otherwise): the dense loop then runs
    /// twice as many lanes per vector instruction.
    let columnMasks32: UnsafePointer<UInt32>?
    /// Per column: +1 or −1, the sign of x_j (with chopper and learning-rate sign).
    let columnSigns: UnsafePointer<Int32>
    /// First columns of the 8-column blocks that contain a firing column (ascending). Only
    /// those blocks get noise: lanes of other blocks receive no pulse, so their noise values
    /// are never used.
    let blocks: UnsafePointer<Int32>
    let blockCount: Int
    /// cols Gaussians (filled per row), cols bytes of fallback flags, cols Int32 counts.
    let noise: UnsafeMutablePointer<Float>
    let fallback: UnsafeMutablePointer<UInt8>
    let counts: UnsafeMutablePointer<Int32>
}

extension LinearStepKernel {
    var supportsDenseRows: Bool { true }

    /// Applies row `i`'s coincidences to all `cols` devices of the row in one branch-free,
    /// vectorisable loop (used when most devices of the row receive pulses). Single pulses use
    /// the one-pulse equation, several pulses the closed form of ``LinearStepKernel``; devices
    /// whose closed form is not valid (clipping margin, large slopes, multiplicative noise
    /// with several pulses) are flagged and done pulse by pulse afterwards. Bit-identical in
    /// distribution to the sparse path; returns (up, down) pulse counts.
    func applyDenseRow(base: Int, cols: Int, rowMask md: UInt64, rowSign: Int32, _ inputs: DenseRowInputs,
                       _ g: inout NoiseSource) -> (up: UInt64, down: UInt64) {
        // Noise for the firing blocks and the columns after the last full block.
        for b in 0..<inputs.blockCount { g.fill8(inputs.noise + Int(inputs.blocks[b])) }
        let tail = cols & ~7
        if tail < cols { g.fill8(inputs.noise + tail) }
        let result: (UInt64, UInt64, Int)
        if let m32 = inputs.columnMasks32, md >> 32 == 0 {
            result = dispatchLoop(m32, UInt32(truncatingIfNeeded: md), base, cols, rowSign, inputs)
        } else {
            result = dispatchLoop(inputs.columnMasks, md, base, cols, rowSign, inputs)
        }
        if result.2 > 0 {
            // The flagged columns in ascending order (the order the noise is drawn in), found
            // eight flag bytes at a time; stops after the last of the result.2 flags.
            let flags = UnsafeRawPointer(inputs.fallback)
            var remaining = result.2
            var j0 = 0
            while remaining > 0 && j0 < cols {
                let width = min(8, cols - j0)
                var word: UInt64
                if width == 8 {
                    word = flags.loadUnaligned(fromByteOffset: j0, as: UInt64.self)
                } else {
                    word = 0
                    for k in 0..<width { word |= UInt64(inputs.fallback[j0 + k]) << (8 * k) }
                }
                while word != 0 {
                    let k = word.trailingZeroBitCount >> 3
                    word &= ~(0xFF << (UInt64(k) << 3))
                    let j = j0 + k
                    apply(base + j, count: Int(inputs.counts[j]), down: rowSign &* inputs.columnSigns[j] > 0, &g)
                    remaining -= 1
                }
                j0 += 8
            }
        }
        return (result.0, result.1)
    }

    @inline(__always)
    private func dispatchLoop<Mask: FixedWidthInteger & UnsignedInteger>(
        _ masks: UnsafePointer<Mask>, _ md: Mask, _ base: Int, _ cols: Int, _ rowSign: Int32, _ inputs: DenseRowInputs
    ) -> (UInt64, UInt64, Int) {
        switch (reference != nil, hasSlopes, multNoise) {
        case (true, true, true): denseLoop(FlagOn.self, FlagOn.self, FlagOn.self, masks, base, cols, md, rowSign, inputs)
        case (true, true, false): denseLoop(FlagOn.self, FlagOn.self, FlagOff.self, masks, base, cols, md, rowSign, inputs)
        case (true, false, _): denseLoop(FlagOn.self, FlagOff.self, FlagOff.self, masks, base, cols, md, rowSign, inputs)
        case (false, true, true): denseLoop(FlagOff.self, FlagOn.self, FlagOn.self, masks, base, cols, md, rowSign, inputs)
        case (false, true, false): denseLoop(FlagOff.self, FlagOn.self, FlagOff.self, masks, base, cols, md, rowSign, inputs)
        case (false, false, _): denseLoop(FlagOff.self, FlagOff.self, FlagOff.self, masks, base, cols, md, rowSign, inputs)
        }
    }

    /// The branch-free loop. Written so that the compiler vectorises it: every value of every
    /// lane is computed (loads are unconditional, choices are selects between computed values,
    /// flags are 0/1 arithmetic), and integer reductions only.
    @inline(__always)
    private func denseLoop<Ref: StaticFlag, Sloped: StaticFlag, Mult: StaticFlag, Mask: FixedWidthInteger & UnsignedInteger>(
        _: Ref.Type, _: Sloped.Type, _: Mult.Type, _ masks: UnsafePointer<Mask>, _ base: Int, _ cols: Int, _ md: Mask,
        _ rowSign: Int32, _ inp: DenseRowInputs
    ) -> (UInt64, UInt64, Int) {
        if dirty != nil {
            return denseLoop(Ref.self, Sloped.self, Mult.self, FlagOn.self, masks, base, cols, md, rowSign, inp)
        }
        return denseLoop(Ref.self, Sloped.self, Mult.self, FlagOff.self, masks, base, cols, md, rowSign, inp)
    }

    @inline(__always)
    private func denseLoop<Ref: StaticFlag, Sloped: StaticFlag, Mult: StaticFlag, Dirty: StaticFlag,
                           Mask: FixedWidthInteger & UnsignedInteger>(
        _: Ref.Type, _: Sloped.Type, _: Mult.Type, _: Dirty.Type, _ masks: UnsafePointer<Mask>, _ base: Int, _ cols: Int,
        _ md: Mask, _ rowSign: Int32, _ inp: DenseRowInputs
    ) -> (UInt64, UInt64, Int) {
        let dirtyRow = (dirty ?? inp.fallback) + base
        let h = hidden + base
        let ref = (reference ?? UnsafePointer(hidden)) + base
        let up = stepUp + base, dn = stepDown + base
        let su = slopeUp + base, sd = slopeDown + base
        let hiB = bMax + base, loB = bMin + base
        let z = inp.noise, signs = inp.columnSigns
        let fallback = inp.fallback, counts = inp.counts
        let sigma = self.sigma
        let margin = closedFormMarginSigmas
        var nUp: Int32 = 0, nDown: Int32 = 0, nFallback: Int32 = 0
        for j in 0..<cols {
            let n = Int32(truncatingIfNeeded: (masks[j] & md).nonzeroBitCount)
            counts[j] = n
            let fn = Float(n)
            // s = sgn(d)·sgn(x) = +1 ⇒ down pulse (spec §1.5).
            let downI = (rowSign &* signs[j] &+ 1) &>> 1
            nDown &+= downI &* n
            nUp &+= (1 &- downI) &* n
            let r: Float = Ref.on ? ref[j] : 0
            let hj = h[j]
            let x = hj + r
            let lo = loB[j], hi = hiB[j]
            let upv = up[j], dnv = dn[j]
            let isDown = downI != 0
            let c = isDown ? -dnv : upv
            let s: Float
            if Sloped.on {
                let suv = su[j], sdv = sd[j]
                s = isDown ? -sdv : suv
            } else {
                s = 0
            }
            let ac = abs(c)
            let zj = z[j]
            // One pulse.
            let x1 = Self.onePulse(x, c, s, sigma, zj, mult: Mult.on)
            // n pulses in closed form (additive noise): see AffinePulseSeries.
            let mean: Float, spread: Float, slack: Float
            if Sloped.on {
                let r = AffinePulseSeries.evaluate(x: x, n: fn, c: c, s: s)
                mean = r.mean
                spread = ac * sigma * vectorizableSquareRoot(max(r.s2, 0) + 1e-30)
                slack = r.slack
            } else {
                mean = x + fn * c
                spread = ac * sigma * vectorizableSquareRoot(fn + 1e-30)
                slack = 1
            }
            let m = margin * spread
            let room = min(slack, min(min(x, mean) - m - lo, hi - max(x, mean) - m))
            let xm = mean + spread * zj
            let touched = min(fn, 1)
            let one = max(0, 1 - abs(fn - 1))
            // Several pulses need the pulse-by-pulse fallback if the closed form is not valid
            // (always for multiplicative noise).
            let invalid: Float = Mult.on ? 1 : (room < 0 ? 1 : 0)
            let fb = (touched - one) * invalid
            let xNew = min(max(one > 0 ? x1 : xm, lo), hi)
            h[j] = touched - fb > 0 ? xNew - r : hj
            let fbBit = fb.bitPattern >> 29 // 1.0 → 1, 0.0 → 0
            fallback[j] = UInt8(truncatingIfNeeded: fbBit)
            nFallback &+= Int32(truncatingIfNeeded: fbBit)
            if Dirty.on { dirtyRow[j] |= UInt8(truncatingIfNeeded: touched.bitPattern >> 29) }
        }
        return (UInt64(UInt32(bitPattern: nUp)), UInt64(UInt32(bitPattern: nDown)), Int(nFallback))
    }

}

extension LinearStepKernel {
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
