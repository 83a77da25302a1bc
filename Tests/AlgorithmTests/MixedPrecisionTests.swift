import CrossbarKit
import Foundation
import Testing
import TestSupport

/// Mixed precision (docs/algorithms.md): χ accumulates η·d·xᵀ in floating point; every transfer_every
/// mini-batches the next rows are written as n = trunc(χ/ε) pulses and χ keeps the remainder.
@Suite struct MixedPrecisionTests {
    typealias F = AlgorithmFixtures
    static let eta: Float = 0.1
    static let eps: Float = 0.01

    static func tile(_ configure: (inout CompoundConfig) -> Void = { _ in }, out: Int = 4, in inSize: Int = 5) throws
        -> (AnalogTile, MixedPrecisionCore)
    {
        var c = CompoundConfig(kind: .mixedPrecision, devices: [F.exactDevice(dwMin: eps)])
        configure(&c)
        let tile = try F.tile(c, out: out, in: inSize)
        return (tile, tile.core as! MixedPrecisionCore)
    }

    static func chi(_ core: MixedPrecisionCore) -> [Float] { Array(UnsafeBufferPointer(start: core.chi.pointer, count: core.chi.count)) }

    /// Random x, d for sample t (deterministic).
    static func sample(_ t: Int, out: Int, in inSize: Int) -> (x: [Float], d: [Float]) {
        var g = Xoshiro256(seed: UInt64(1000 + t))
        return ((0..<inSize).map { _ in 2 * g.nextUniform() - 1 }, (0..<out).map { _ in 2 * g.nextUniform() - 1 })
    }

    static func outer(_ d: [Float], _ x: [Float], _ scale: Float) -> [Float] {
        d.flatMap { di in x.map { scale * di * $0 } }
    }

    @Test func chiAccumulatesTheGradientAndTransfersLeaveTheRemainder() throws {
        let (tile, core) = try Self.tile()
        let w0 = core.weights().storage
        let (x1, d1) = Self.sample(1, out: 4, in: 5)
        tile.update(x: x1, d: d1, batch: 1, learningRate: Self.eta)
        // First sample: no transfer yet (the check runs before the counter increments).
        #expect(maxAbsDifference(Self.chi(core), Self.outer(d1, x1, Self.eta)) < 1e-6)
        #expect(core.weights().storage == w0)
        #expect(core.rowsTransferred == 0)
        let (x2, d2) = Self.sample(2, out: 4, in: 5)
        let before = zip(Self.chi(core), Self.outer(d2, x2, Self.eta)).map { $0 + $1 }
        tile.update(x: x2, d: d2, batch: 1, learningRate: Self.eta)
        // All rows (n_rows_per_transfer −1): χ ← χ − trunc(χ/ε)·ε.
        let expected = before.map { $0 - ($0 / Self.eps).rounded(.towardZero) * Self.eps }
        let chi = Self.chi(core)
        #expect(maxAbsDifference(chi, expected) < 1e-6)
        #expect(chi.allSatisfy { abs($0) < Self.eps })
        #expect(zip(chi, before).allSatisfy { $0.0 == 0 || ($0.0 > 0) == ($0.1 > 0) }, "truncation toward zero keeps the sign")
        #expect(core.rowsTransferred == 4)
        #expect(before.contains { abs($0) >= Self.eps }, "something was transferred")
        // W moved opposite to χ's sign (W ← W − ε·n): never the wrong way.
        let w = core.weights().storage
        for k in 0..<20 {
            let n = (before[k] / Self.eps).rounded(.towardZero)
            let dw = w[k] - w0[k]
            #expect(n == 0 ? dw == 0 : dw * n <= 0, "element \(k): n \(n), ΔW \(dw)")
        }
    }

    @Test func oneRowPerTransferCyclesThroughTheRows() throws {
        let (tile, core) = try Self.tile { $0.nRowsPerTransfer = 1 }
        var chi = [Float](repeating: 0, count: 20)
        for t in 0..<9 {
            let (x, d) = Self.sample(t, out: 4, in: 5)
            let before = zip(chi, Self.outer(d, x, Self.eta)).map { $0 + $1 }
            tile.update(x: x, d: d, batch: 1, learningRate: Self.eta)
            chi = Self.chi(core)
            // Transfer events at samples 2…9 (t ≥ 1) write row (t − 1) mod 4 only.
            for row in 0..<4 {
                let written = t >= 1 && row == (t - 1) % 4
                for j in 0..<5 {
                    let b = before[row * 5 + j]
                    let e = written ? b - (b / Self.eps).rounded(.towardZero) * Self.eps : b
                    #expect(abs(chi[row * 5 + j] - e) < 1e-6, "t \(t) row \(row)")
                }
            }
            #expect(core.rowsTransferred == UInt64(max(t, 0)))
        }
        #expect(core.nextRow == 8 % 4)
    }

    @Test func transferEveryCountsMiniBatches() throws {
        let (tile, core) = try Self.tile { $0.transferEvery = 2 }
        // Batches of 3: transfers at the sample counts 6, 12 (before incrementing), i.e. in the
        // 7th and the 13th sample.
        F.train(tile, samples: 12, batch: 3, learningRate: Self.eta)
        #expect(core.rowsTransferred == 4)
        F.train(tile, samples: 3, batch: 3, learningRate: Self.eta)
        #expect(core.rowsTransferred == 8)
    }

    /// Pulses are random but unbiased: per element, E[ΔW] = −ε·n for every transfer (update and
    /// BL management give BL = max|n| ≤ 31 slots with probabilities |n_j|/BL and 1), so
    /// D = (W_T − W_0) + Σ_t η d_t x_tᵀ − χ_T has mean 0 and, in pulses, variance at most the
    /// expected number of pulses. We check |D/ε| ≤ 4.5·√(pulses + 1) for every element and that
    /// the mean of the standardised D over the 20 elements is within 4/√20 of 0.
    @Test func rowTransfersAreUnbiased() throws {
        let (tile, core) = try Self.tile()
        core.weightArray.engine.enablePerDeviceCounts()
        let w0 = core.weights().storage
        var total = [Double](repeating: 0, count: 20)
        for t in 0..<2000 {
            let (x, d) = Self.sample(t, out: 4, in: 5)
            for (k, v) in Self.outer(d, x, Self.eta).enumerated() { total[k] += Double(v) }
            tile.update(x: x, d: d, batch: 1, learningRate: Self.eta)
        }
        let w = core.weights().storage, chi = Self.chi(core)
        let pulses = core.weightArray.engine.perDeviceTotals()!
        var zs: [Double] = []
        for k in 0..<20 {
            let dev = (Double(w[k] - w0[k]) + total[k] - Double(chi[k])) / Double(Self.eps)
            let z = dev / (Double(pulses[k]) + 1).squareRoot()
            zs.append(z)
            #expect(abs(z) < 4.5, "element \(k): D = \(dev) pulses over \(pulses[k]) pulses")
        }
        let mean = zs.reduce(0, +) / 20
        #expect(abs(mean) < 4 / 20.0.squareRoot(), "mean standardised deviation \(mean)")
        #expect(pulses.allSatisfy { $0 > 100 }, "enough pulses for the check to mean something")
    }

    @Test func quantisedInputsAndErrorsEnterChi() throws {
        let (tile, core) = try Self.tile {
            $0.nXBins = 5
            $0.nDBins = 3
            $0.stocRoundX = false
            $0.stocRoundD = false
        }
        let x: [Float] = [0.9, -0.2, 0.5, 0.05, -0.6], d: [Float] = [0.3, -0.1, 0.16, 0.05]
        tile.update(x: x, d: d, batch: 1, learningRate: Self.eta)
        // x: half = 2 levels of 0.45 → x/0.45 = [2, −0.44, 1.11, 0.11, −1.33] → [0.9, 0, 0.45, 0, −0.45];
        // d: half = 1 level of 0.3 → d/0.3 = [1, −0.33, 0.53, 0.17] → [0.3, 0, 0.3, 0].
        let xq: [Float] = [0.9, 0, 0.45, 0, -0.45]
        let dq: [Float] = [0.3, 0, 0.3, 0]
        #expect(maxAbsDifference(Self.chi(core), Self.outer(dq, xq, Self.eta)) < 1e-6)
    }

    @Test func oneSidedQuantisationIsRefused() throws {
        var c = CompoundConfig(kind: .mixedPrecision, devices: [F.exactDevice()])
        c.nXBins = 8
        #expect { try c.validate() } throws: { e in
            guard case let .invalidParameter(field, _, allowed) = e as? CrossbarError else { return false }
            return field == "n_d_bins" && allowed.contains("both or neither")
        }
        c.nXBins = 0
        c.nDBins = 8
        #expect { try c.validate() } throws: { "\($0)".contains("n_x_bins") }
    }

    @Test func pulsesPerSampleCountsSamplesNotRowWrites() throws {
        let (tile, core) = try Self.tile()
        F.train(tile, samples: 50, learningRate: Self.eta)
        let perSample = core.pulsesPerSample["W"]!
        #expect(abs(perSample - Double(core.weightArray.engine.counters.total) / 50) < 1e-12)
        #expect(core.weightArray.engine.counters.updates > 50, "one rank-one update per row write")
    }
}
