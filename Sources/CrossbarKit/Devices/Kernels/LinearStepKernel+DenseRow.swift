/// Compile-time switches of the dense-row loop (the loop is specialised per combination, so
/// the switches cost nothing inside it).
protocol StaticFlag { static var on: Bool { get } }
enum FlagOn: StaticFlag { static var on: Bool { true } }
enum FlagOff: StaticFlag { static var on: Bool { false } }

/// Inputs of one dense row: the column side of the sample's bit lines and scratch.
struct DenseRowInputs {
    /// Per column: the x bit-line mask (0 for inactive columns), length cols.
    let columnMasks: UnsafePointer<UInt64>
    /// Per column: +1 or −1, the sign of x_j (with chopper and learning-rate sign).
    let columnSigns: UnsafePointer<Float>
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
    func applyDenseRow(base: Int, cols: Int, rowMask md: UInt64, rowSign: Float, _ inputs: DenseRowInputs,
                       _ g: inout NoiseSource) -> (up: UInt64, down: UInt64) {
        g.fill(inputs.noise, count: cols)
        let result: (UInt64, UInt64, Int)
        switch (reference != nil, hasSlopes) {
        case (true, true): result = denseLoop(FlagOn.self, FlagOn.self, base, cols, md, rowSign, inputs)
        case (true, false): result = denseLoop(FlagOn.self, FlagOff.self, base, cols, md, rowSign, inputs)
        case (false, true): result = denseLoop(FlagOff.self, FlagOn.self, base, cols, md, rowSign, inputs)
        case (false, false): result = denseLoop(FlagOff.self, FlagOff.self, base, cols, md, rowSign, inputs)
        }
        if result.2 > 0 {
            for j in 0..<cols where inputs.fallback[j] != 0 {
                apply(base + j, count: Int(inputs.counts[j]), down: rowSign * inputs.columnSigns[j] > 0, &g)
            }
        }
        if let dirty {
            for j in 0..<cols where inputs.counts[j] != 0 { dirty[base + j] = 1 }
        }
        return (result.0, result.1)
    }

    @inline(__always)
    private func denseLoop<Ref: StaticFlag, Sloped: StaticFlag>(
        _: Ref.Type, _: Sloped.Type, _ base: Int, _ cols: Int, _ md: UInt64, _ rowSign: Float,
        _ inp: DenseRowInputs
    ) -> (UInt64, UInt64, Int) {
        let h = hidden + base
        let ref = (reference ?? UnsafePointer(hidden)) + base
        let up = stepUp + base, dn = stepDown + base
        let su = slopeUp + base, sd = slopeDown + base
        let hiB = bMax + base, loB = bMin + base
        let z = inp.noise, masks = inp.columnMasks, signs = inp.columnSigns
        let fallback = inp.fallback, counts = inp.counts
        let sigma = self.sigma, mult = multNoise
        let margin = closedFormMarginSigmas
        var nUp: Int32 = 0, nDown: Int32 = 0, nFallback: Int32 = 0
        for j in 0..<cols {
            let n = Int32(truncatingIfNeeded: (masks[j] & md).nonzeroBitCount)
            counts[j] = n
            let fn = Float(n)
            let isDown = rowSign * signs[j] > 0
            let r: Float = Ref.on ? ref[j] : 0
            let x = h[j] + r
            let lo = loB[j], hi = hiB[j]
            let c = isDown ? -dn[j] : up[j]
            let s: Float = Sloped.on ? (isDown ? -sd[j] : su[j]) : 0
            let ac = abs(c)
            let zj = z[j]
            // One pulse.
            let step = c + s * x
            let x1 = mult ? x + step + step * sigma * zj : x + step + ac * sigma * zj
            // n pulses in closed form (additive noise): see LinearStepKernel.closedForm.
            var mean: Float, spread: Float, valid: Bool
            if Sloped.on {
                let sSafe: Float = s == 0 ? 1e-30 : s
                var l: Float = -1.0 / 8
                l = l * s + 1.0 / 7
                l = l * s - 1.0 / 6
                l = l * s + 1.0 / 5
                l = l * s - 1.0 / 4
                l = l * s + 1.0 / 3
                l = l * s - 1.0 / 2
                l = l * s + 1
                let a1 = fn * s * l
                let e1 = Self.expm1Poly(a1)
                let e2 = Self.expm1Poly(2 * a1)
                mean = (1 + e1) * x + c * (e1 / sSafe)
                let s2 = max(e2 / (sSafe * (2 + s)), 0)
                spread = ac * sigma * vectorizableSquareRoot(s2 + 1e-30)
                valid = abs(s) <= 0.125 && abs(a1) <= 0.5 && !mult
            } else {
                mean = x + fn * c
                spread = ac * sigma * vectorizableSquareRoot(fn + 1e-30)
                valid = true
            }
            let m = margin * spread
            valid = valid && min(x, mean) - m >= lo && max(x, mean) + m <= hi
            let xm = mean + spread * zj
            let touched = n != 0
            let one = n == 1
            let needsFallback = touched && !one && !valid
            let xNew = min(max(one ? x1 : xm, lo), hi)
            h[j] = touched && !needsFallback ? xNew - r : h[j]
            fallback[j] = needsFallback ? 1 : 0
            nFallback &+= needsFallback ? 1 : 0
            nDown &+= isDown ? n : 0
            nUp &+= isDown ? 0 : n
        }
        return (UInt64(nUp), UInt64(nDown), Int(nFallback))
    }

    /// expm1(t) for |t| ≤ 1 by its Taylor series to t¹⁰ (truncation < 3·10⁻⁸·|t|).
    @inline(__always)
    static func expm1Poly(_ t: Float) -> Float {
        var p: Float = 1.0 / 3_628_800
        p = p * t + 1.0 / 362_880
        p = p * t + 1.0 / 40320
        p = p * t + 1.0 / 5040
        p = p * t + 1.0 / 720
        p = p * t + 1.0 / 120
        p = p * t + 1.0 / 24
        p = p * t + 1.0 / 6
        p = p * t + 0.5
        p = p * t + 1
        return t * p
    }
}
