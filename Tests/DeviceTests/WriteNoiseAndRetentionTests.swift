import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "Write noise" (write noise) and §2.5 (decay, diffusion, reset).
@Suite struct WriteNoiseAndRetentionTests {
    static func softBounds(writeNoise: Float, onSet: Bool = true) -> DeviceConfig {
        var c = DeviceConfig(model: .softBounds)
        c.dwMin = 0.01
        c.writeNoiseStd = writeNoise
        c.applyWriteNoiseOnSet = onSet
        return c
    }

    /// Read-visible weight = hidden + write_noise_std·dw_min·ξ (std 2·0.01 = 0.02 here):
    /// - after set_weights (apply_write_noise_on_set): visible − hidden ~ N(0, 0.02) over all
    ///   devices (mean 5 SE = 5·0.02/√n, std 5·0.02/√(2n));
    /// - pulsed devices get a fresh draw at the next read (lazy redraw): the new noise has the
    ///   same distribution and is uncorrelated with the old one (new − old has std √2·0.02);
    /// - devices not pulsed keep their visible value bit for bit, and a second read without
    ///   pulses in between changes nothing.
    @Test func writeNoiseIsRedrawnAfterPulsesOnly() {
        let rows = 64, cols = 64, n = Double(rows * cols / 2)
        let a = makeArray(Self.softBounds(writeNoise: 2), rows: rows, cols: cols, seed: 31)
        let noise = TestNoise(seed: 32)
        let wn = 0.02
        a.setAll(0.1)
        let v0 = a.visibleWeights(), h0 = a.hiddenWeights()
        let e0 = zip(v0, h0).map { Double($0 - $1) }
        let s0 = SampleStats(e0)
        #expect(abs(s0.mean) <= 5 * wn / (2 * n).squareRoot())
        #expect(abs(s0.std - wn) <= 5 * wn / (4 * n).squareRoot())
        #expect(a.visibleWeights() == v0, "a second read redraws nothing")
        // Pulse the first half of the rows.
        for i in 0..<(rows / 2) {
            for j in 0..<cols { a.pulse(row: i, col: j, count: 1, down: (i + j) % 2 == 0, &noise.source) }
        }
        let v1 = a.visibleWeights(), h1 = a.hiddenWeights()
        let half = rows / 2 * cols
        let fresh = (0..<half).map { Double(v1[$0] - h1[$0]) }
        let s1 = SampleStats(fresh)
        #expect(abs(s1.mean) <= 5 * wn / n.squareRoot())
        #expect(abs(s1.std - wn) <= 5 * wn / (2 * n).squareRoot())
        let redraw = (0..<half).map { fresh[$0] - e0[$0] }
        #expect(abs(SampleStats(redraw).std - 2.0.squareRoot() * wn) <= 5 * 2.0.squareRoot() * wn / (2 * n).squareRoot(),
                "new noise independent of the old")
        #expect(Array(v1[half...]) == Array(v0[half...]), "unpulsed devices keep their visible value")
        #expect(Array(h1[half...]) == Array(h0[half...]))
        #expect(a.visibleWeights() == v1)
        // Through the engine: exactly the devices that received pulses are redrawn.
        let engine = makeEngine(a, seed: 33)
        engine.enablePerDeviceCounts()
        var x = [Float](repeating: 0, count: cols), d = [Float](repeating: 0, count: rows)
        var g = Xoshiro256(seed: 34)
        for j in 0..<cols { x[j] = g.nextUniform() }
        for i in 0..<rows { d[i] = 0.01 * g.nextGaussian() }
        x.withUnsafeBufferPointer { xp in
            d.withUnsafeBufferPointer { dp in
                engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: 0.1, parameters: UpdateParameters())
            }
        }
        let counts = engine.perDeviceTotals()!
        let v2 = a.visibleWeights()
        let pulsed = counts.filter { $0 > 0 }.count
        #expect(pulsed > 0 && pulsed < a.count)
        for k in 0..<a.count where counts[k] == 0 { #expect(v2[k] == v1[k], "unpulsed device \(k) kept its visible value") }
        let changed = (0..<a.count).filter { counts[$0] > 0 && v2[$0] != v1[$0] }.count
        #expect(changed == pulsed, "every pulsed device was redrawn")
    }

    /// apply_write_noise_on_set false: visible = hidden after set_weights; models without write
    /// noise read the hidden weight.
    @Test func writeNoiseOptions() {
        let a = makeArray(Self.softBounds(writeNoise: 2, onSet: false), rows: 8, cols: 8, seed: 35)
        a.setAll(0.1)
        #expect(a.visibleWeights() == a.hiddenWeights())
        let b = makeArray(Self.softBounds(writeNoise: 0), rows: 8, cols: 8, seed: 36)
        b.setAll(0.1)
        #expect(b.apparent == nil && b.visibleWeights() == b.hiddenWeights())
        var cs = DeviceConfig(model: .constantStep)
        cs.dwMin = 0.01
        #expect(!cs.model.supportsWriteNoise)
        #expect(makeArray(cs, rows: 2, cols: 2).writeNoise == 0)
    }

    /// Decay (lifetime τ, δ = 1 − 1/τ): w ← (w − r)·δ + r exactly (clip inactive), and the write
    /// noise is redrawn for all devices. Reference devices decay their conductance toward the
    /// reset value: visible target r − ref (the intended behaviour of docs/devices.md, "Deviations from the reference simulator", as resets).
    @Test func decay() {
        var c = DeviceConfig.quiet(.softBounds)
        c.lifetime = 50
        c.reset = 0.1
        let a = makeArray(c, rows: 4, cols: 8, seed: 37)
        a.setAll(0.4)
        a.postUpdateStep()
        let expected = (0.4 - 0.1) * (1 - 1.0 / 50) + 0.1
        for w in a.hiddenWeights() { #expect(abs(Double(w) - expected) <= floatTolerance(1)) }

        var r = DeviceConfig.quiet(.softBoundsReference)
        r.lifetime = 50
        r.reset = 0.1
        r.referenceMean = 0.3
        let b = makeArray(r, rows: 4, cols: 8, seed: 38)
        b.setAll(0.2) // conductance 0.5
        b.postUpdateStep()
        // g ← (g − r)·δ + r: 0.5 → (0.5 − 0.1)·0.98 + 0.1 = 0.492, visible 0.192.
        let g = (0.5 - 0.1) * (1 - 1.0 / 50) + 0.1
        for k in 0..<b.count {
            #expect(abs(Double(b.conductance(k)) - g) <= floatTolerance(1), "conductance after decay \(b.conductance(k))")
        }
    }

    /// Diffusion: w ← clip(w + ρ·ξ) with ρ = diffusion (no spread): the change has mean 0 and
    /// std ρ over n devices (5 SE).
    @Test func diffusion() {
        var c = DeviceConfig.quiet(.constantStep)
        c.diffusion = 0.01
        let a = makeArray(c, rows: 100, cols: 100, seed: 39)
        a.setAll(0)
        a.postUpdateStep()
        let s = SampleStats(a.hiddenWeights())
        let n = 10_000.0
        #expect(abs(s.mean) <= 5 * 0.01 / n.squareRoot())
        #expect(abs(s.std - 0.01) <= 5 * 0.01 / (2 * n).squareRoot())
        // A second step draws new noise (the event counter advances).
        let before = a.hiddenWeights()
        a.postUpdateStep()
        #expect(a.hiddenWeights() != before)
    }

    /// Reset (docs/devices.md, "Decay, diffusion, reset"): each device of the column, with probability p, goes to
    /// clip(reset_bias + reset_std·ξ); others are untouched. With p = 1: mean reset, std
    /// reset_std over 2000 devices (5 SE); with p = 0.3: the fraction reset is 0.3 within
    /// 5·√(p(1−p)/n). Reference devices reset their conductance: visible target reset − ref.
    @Test func resetColumnsAndRows() {
        var c = DeviceConfig.quiet(.constantStep)
        c.reset = 0.05
        c.resetStd = 0.02
        let rows = 2000
        let a = makeArray(c, rows: rows, cols: 3, seed: 40)
        a.setAll(0.3)
        a.resetColumn(1, probability: 1)
        let w = a.hiddenWeights()
        let col1 = (0..<rows).map { Double(w[$0 * 3 + 1]) }
        let s = SampleStats(col1)
        #expect(abs(s.mean - 0.05) <= 5 * 0.02 / Double(rows).squareRoot())
        #expect(abs(s.std - 0.02) <= 5 * 0.02 / (2 * Double(rows)).squareRoot())
        #expect((0..<rows).allSatisfy { w[$0 * 3] == 0.3 && w[$0 * 3 + 2] == 0.3 })
        a.setAll(0.3)
        a.resetColumn(2, probability: 0.3)
        let reset = (0..<rows).filter { a.hidden[$0 * 3 + 2] != 0.3 }.count
        let f = Double(reset) / Double(rows)
        #expect(abs(f - 0.3) <= 5 * (0.21 / Double(rows)).squareRoot(), "fraction reset \(f)")

        let b = makeArray(c, rows: 3, cols: 2000, seed: 41)
        b.setAll(0.3)
        b.resetRow(1, probability: 1)
        let row1 = (0..<2000).map { Double(b.hidden[2000 + $0]) }
        #expect(abs(SampleStats(row1).mean - 0.05) <= 5 * 0.02 / 2000.0.squareRoot())

        var r = DeviceConfig.quiet(.softBoundsReference)
        r.reset = 0.05
        r.resetStd = 0
        r.referenceMean = 0.2
        let ref = makeArray(r, rows: 4, cols: 4, seed: 42)
        ref.setAll(0.4)
        ref.resetColumn(0, probability: 1)
        for i in 0..<4 { #expect(abs(Double(ref.conductance(i * 4)) - 0.05) <= floatTolerance(1)) }
    }
}
