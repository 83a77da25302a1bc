import Testing
import CrossbarKit
import TestSupport

/// DAC and ADC grids (docs/io.md "Resolution scaling", §4.2 steps 4 and 7). With an identity
/// weight matrix and the output stage off, the tile's output *is* the DAC output; with the DAC off
/// and W = c·I, the output is the ADC of c·x.
@Suite struct QuantisationTests {
    /// The DAC alone: identity weights, no NM, no BM, output stage off.
    static func dacOnly(inpRes: Float, inpBound: Float = 1, stochastic: Bool = false) -> IOParameters {
        var io = quietIO()
        io.inpRes = inpRes
        io.inpBound = inpBound
        io.inpStoRound = stochastic
        return io
    }

    /// Checks that `outputs` are round-half-even(x / step)·step clipped to ±bound.
    static func expectOnGrid(_ inputs: [Float], _ outputs: [Float], step: Float, bound: Float,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        for (x, y) in zip(inputs, outputs) {
            let expected = min(max((x / step).rounded(.toNearestOrEven) * step, -bound), bound)
            #expect(abs(y - expected) <= 1e-6 * max(1, bound), "x = \(x): got \(y), expected \(expected)", sourceLocation: sourceLocation)
            if abs(y) < bound {
                // On the grid: an integer number of steps.
                let steps = y / step
                #expect(abs(steps - steps.rounded()) < 1e-3, "x = \(x): \(y) is not a multiple of \(step)", sourceLocation: sourceLocation)
                #expect(abs(y - x) <= step / 2 + 1e-6, "x = \(x): \(y) is more than half a step away", sourceLocation: sourceLocation)
            } else {
                #expect(abs(x) > bound - step / 2, "x = \(x) clipped although inside the range", sourceLocation: sourceLocation)
            }
        }
    }

    /// Runs `inputs` through the DAC of `io` (identity weights) and returns the outputs.
    static func throughDAC(_ inputs: [Float], _ io: IOParameters) throws -> [Float] {
        let tile = try makeTile(identity(inputs.count), forward: io)
        return try tile.forward(Matrix(rows: 1, cols: inputs.count, storage: inputs)).storage
    }

    @Test func defaultDACGridAndClipping() throws {
        // Default inp_res = 1/126: step 2·(1/126)·1 = 1/63, levels −63…63 on [−1, 1].
        let io = Self.dacOnly(inpRes: 1.0 / 126.0)
        #expect(abs(io.inputStep - 1.0 / 63.0) < 1e-9)
        let xs = offGridValues(step: 1.0 / 63.0, from: -1.4, to: 1.4)
        let ys = try Self.throughDAC(xs, io)
        Self.expectOnGrid(xs, ys, step: 1.0 / 63.0, bound: 1)
        #expect(ys.contains(1) && ys.contains(-1), "inputs beyond ±1 must clip to ±inp_bound")
        #expect(ys.allSatisfy { abs($0) <= 1 })
    }

    @Test func dacStepScalesWithInpBound() throws {
        // inp_bound = 2 (allowed without NM): step 2·(1/126)·2, clip at ±2.
        let io = Self.dacOnly(inpRes: 1.0 / 126.0, inpBound: 2)
        let step: Float = 4.0 / 126.0
        #expect(abs(io.inputStep - step) < 1e-8)
        let xs = offGridValues(step: step, from: -2.6, to: 2.6)
        Self.expectOnGrid(xs, try Self.throughDAC(xs, io), step: step, bound: 2)
    }

    @Test func resolutionAboveOneIsANumberOfSteps() throws {
        // inp_res = 20 ⇒ bin width 1/20 of the range: step 2/20 = 0.1 on [−1, 1].
        let io = Self.dacOnly(inpRes: 20)
        #expect(abs(io.inputStep - 0.1) < 1e-7)
        let xs = offGridValues(step: 0.1, from: -1.3, to: 1.3)
        Self.expectOnGrid(xs, try Self.throughDAC(xs, io), step: 0.1, bound: 1)
    }

    @Test(arguments: [Float(0), -1, -0.5])
    func resolutionAtMostZeroTurnsTheDACOff(res: Float) throws {
        let io = Self.dacOnly(inpRes: res)
        #expect(io.inputStep == 0)
        let xs: [Float] = [-1.7, -0.999, -0.123456, 0, 0.0001234, 0.5, 0.987654, 1.3]
        let ys = try Self.throughDAC(xs, io)
        for (x, y) in zip(xs, ys) {
            // No quantisation: only the clip to ±inp_bound.
            #expect(abs(y - min(max(x, -1), 1)) <= 1e-7, "x = \(x) → \(y)")
        }
    }

    /// The ADC alone: DAC off, W = 15·I so that y = 15·x spans ±15 around the ±12 range.
    static func throughADC(_ xs: [Float], outRes: Float, outBound: Float = 12, outScale: Float = 1) throws -> [Float] {
        var io = quietIO()
        io.outRes = outRes
        io.outBound = outBound
        io.outScale = outScale
        let tile = try makeTile(identity(xs.count, scale: 15), forward: io)
        return try tile.forward(Matrix(rows: 1, cols: xs.count, storage: xs)).storage
    }

    @Test func defaultADCGridAndClipping() throws {
        // Default out_res = 1/510, out_bound 12: step 24/510, 511 levels on [−12, 12].
        let step: Float = 24.0 / 510.0
        var io = IOParameters()
        #expect(abs(io.outputStep - step) < 1e-7)
        io.outBound = 0
        #expect(io.outputStep == 0, "out_bound ≤ 0 turns the ADC quantisation off")
        let ys15 = offGridValues(step: step, from: -15, to: 15)
        let xs = ys15.map { $0 / 15 }
        let out = try Self.throughADC(xs, outRes: 1.0 / 510.0)
        Self.expectOnGrid(xs.map { 15 * $0 }, out, step: step, bound: 12)
        #expect(out.contains(12) && out.contains(-12))
    }

    @Test func adcResolutionAboveOneAndOff() throws {
        // out_res = 24 ⇒ 24 steps over [−12, 12]: the integers.
        let xs = offGridValues(step: 1, from: -15, to: 15).map { $0 / 15 }
        let ys = try Self.throughADC(xs, outRes: 24)
        Self.expectOnGrid(xs.map { 15 * $0 }, ys, step: 1, bound: 12)
        // out_res ≤ 0: no quantisation, still clipped to ±out_bound.
        let off = try Self.throughADC(xs, outRes: 0)
        for (x, y) in zip(xs, off) { #expect(abs(y - min(max(15 * x, -12), 12)) <= 1e-5) }
        // out_bound ≤ 0: unbounded and no ADC quantisation (documented deviation).
        let unbounded = try Self.throughADC(xs, outRes: 1.0 / 510.0, outBound: 0)
        for (x, y) in zip(xs, unbounded) { #expect(abs(y - 15 * x) <= 1e-5) }
    }

    @Test func outScaleAppliesAfterTheADC() throws {
        let xs = offGridValues(step: 1, from: -15, to: 15).map { $0 / 15 }
        let plain = try Self.throughADC(xs, outRes: 24)
        let scaled = try Self.throughADC(xs, outRes: 24, outScale: 2)
        for (a, b) in zip(plain, scaled) { #expect(abs(b - 2 * a) <= 1e-5) }
        #expect(scaled.contains(24), "the clip at ±out_bound happens before out_scale")
    }

    /// Stochastic rounding rint(v/step + U − 0.5)·step rounds up with probability equal to the
    /// fractional part p: unbiased in the mean.
    ///
    /// Each output is k·step or (k+1)·step; over N draws the mean has standard error
    /// step·√(p(1−p)/N). With N = 20 000 that is ≤ 0.0036 steps; we allow 4 SE (8 inputs are
    /// checked). Deterministic rounding is biased by min(p, 1−p) ≥ 0.1 steps — 28 SE — so the
    /// test cannot pass with round-to-nearest.
    @Test func dacStochasticRoundingIsUnbiased() throws {
        let step: Float = 1.0 / 63.0
        let fractions: [Float] = [0.1, 0.3, 0.45, 0.5, 0.55, 0.7, 0.9, 0.25]
        let ks: [Float] = [-40, -7, -1, 0, 3, 12, 30, 61]
        let xs = zip(ks, fractions).map { ($0 + $1) * step }
        let n = 20_000
        let tile = try makeTile(identity(xs.count), forward: Self.dacOnly(inpRes: 1.0 / 126.0, stochastic: true))
        let y = try tile.forward(repeatedRows(xs, n))
        for j in xs.indices {
            let lo = ks[j] * step, hi = (ks[j] + 1) * step
            var stats = SampleStats()
            var elsewhere = 0
            for b in 0..<n {
                let v = y[b, j]
                if !(abs(v - lo) < 1e-6 || abs(v - hi) < 1e-6) { elsewhere += 1 }
                stats.add(Double(v))
            }
            #expect(elsewhere == 0, "stochastic rounding left the two neighbouring levels of \(xs[j])")
            let p = Double(fractions[j])
            let se = Double(step) * (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(stats.mean - Double(xs[j])) <= 4 * se,
                    "input \(xs[j]): mean \(stats.mean), SE \(se)")
        }
    }

    /// Same for the ADC: W = diag((k + p)·step_out), v = 1 ⇒ y_i = (k_i + p_i)·step_out.
    @Test func adcStochasticRoundingIsUnbiased() throws {
        let step: Float = 24.0 / 510.0
        let fractions: [Float] = [0.1, 0.3, 0.5, 0.7, 0.9, 0.2]
        let ks: [Float] = [-200, -3, 0, 5, 99, 254]
        var w = Matrix(rows: ks.count, cols: ks.count)
        for i in ks.indices { w[i, i] = (ks[i] + fractions[i]) * step }
        var io = quietIO()
        io.outRes = 1.0 / 510.0
        io.outBound = 12
        io.outStoRound = true
        let n = 20_000
        let tile = try makeTile(w, forward: io)
        let y = try tile.forward(constant(rows: n, cols: ks.count, 1))
        for i in ks.indices {
            let stats = SampleStats(columnValues(y, i))
            let p = Double(fractions[i])
            let se = Double(step) * (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(stats.mean - Double(w[i, i])) <= 4 * se, "line \(i): mean \(stats.mean) vs \(w[i, i]), SE \(se)")
        }
    }
}
