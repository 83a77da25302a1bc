import CrossbarKit
import Foundation
import Testing
import TestSupport

/// Per-array pulse counters: pulses per sample on A and on W (the paper's endurance figure).
@Suite struct PulseCounterTests {
    /// The toy configuration (5×5, x = 1, d = 1, fast_lr 0.005, dw_min 0.05): the update plan
    /// has BL = 1 and both bit-line probabilities √0.1, so the A pulses of one sample are
    /// X·Y with X, Y ~ Binomial(5, √0.1) independent: mean 25·0.1 = 2.5, variance
    /// E[X²]E[Y²] − 2.5² = 3.581² − 6.25 = 6.57 (sd 2.56). The mean of n = 4000 samples has SE
    /// 2.56/√4000 = 0.041; we allow 4 SE.
    @Test func aReceivesTheExpectedPulsesPerSample() throws {
        var t = ToyExperiment()
        t.algorithm = .cTTv2
        let tile = try AnalogTile(outSize: 5, inSize: 5, configuration: t.tileConfiguration(), seeds: SeedSet(master: 5), path: "p")
        let core = tile.core as! ChoppedTransferCore
        core.arrays[1].engine.enablePerDeviceCounts()
        let x = [Float](repeating: 1, count: 5), d = [Float](repeating: 1, count: 5)
        let n = 4000
        for _ in 0..<n { tile.update(x: x, d: d, batch: 1, learningRate: 1) }
        let perSample = core.pulsesPerSample
        #expect(Set(perSample.keys) == ["A", "C"])
        #expect(abs(perSample["A"]! - 2.5) < 4 * 2.56 / Double(n).squareRoot(), "A: \(perSample["A"]!) pulses per sample")
        let a = core.arrays[0].engine.counters, c = core.arrays[1].engine.counters
        #expect(a.updates == UInt64(n), "one rank-one update of A per sample")
        #expect(perSample["C"]! == Double(c.total) / Double(n))
        #expect(c.total > 0)
        // Per-device counts add up to the array total.
        #expect(core.arrays[1].engine.perDeviceTotals()!.reduce(0) { $0 + UInt64($1) } == c.total)
        // Endurance: A is pulsed far more often than W (the paper: orders of magnitude).
        #expect(perSample["A"]! > 10 * perSample["C"]!)
    }

    @Test func inMemorySGDCountsPulsesPerSampleOnW() throws {
        let config = try ConfigurationPresets.configuration("Idealized")
        let tile = try AnalogTile(outSize: 3, inSize: 4, configuration: config, seeds: SeedSet(master: 2), path: "s")
        AlgorithmFixtures.train(tile, samples: 40, batch: 8, learningRate: 0.01)
        let p = tile.core.pulsesPerSample
        #expect(Set(p.keys) == ["W"])
        let w = tile.core.pulseCounters[0].counters
        #expect(w.updates == 40)
        #expect(p["W"]! == Double(w.total) / 40)
        #expect(p["W"]! > 0)
    }
}
