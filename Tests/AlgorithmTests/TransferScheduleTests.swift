import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/algorithms.md §11, schedule part: how many lines are read and when, and how the choppers
/// flip.
@Suite struct TransferScheduleTests {
    typealias F = AlgorithmFixtures

    static func compound(_ kind: CompoundKind, _ device: DeviceConfig = F.exactDevice()) -> CompoundConfig {
        CompoundConfig(kind: kind, devices: [device, device])
    }

    @Test(arguments: [CompoundKind.chopped, .dynamic])
    func choppedCompoundsWithDefaultsReadOneColumnPerSample(_ kind: CompoundKind) throws {
        let tile = try F.tile(Self.compound(kind), out: 3, in: 4)
        let core = try #require(tile.core as? ChoppedTransferCore)
        // 37 samples in mini-batches of 5 (the last one of 2): transfers happen per sample.
        F.train(tile, samples: 37, batch: 5)
        #expect(core.samples == 37)
        #expect(core.transferReads == 37)
        #expect(core.nextLine == 37 % 4)
        #expect(core.sweeps == 37 / 4)
    }

    @Test func choppedTransferEveryCountsVectorsAndNegativeMeansAutomatic() throws {
        var c = Self.compound(.chopped)
        c.transferEvery = 3
        var tile = try F.tile(c, out: 3, in: 4)
        F.train(tile, samples: 37, batch: 5)
        #expect((tile.core as! ChoppedTransferCore).transferReads == 12)
        // transfer_every −2 with n_states 4 (range 2, dw_min 0.5) on 4 columns:
        // every = max(1, round(4/4·2)) = 2 vectors.
        c = Self.compound(.chopped, F.exactDevice(dwMin: 0.5, bound: 1))
        c.transferEvery = -2
        tile = try F.tile(c, out: 3, in: 4)
        F.train(tile, samples: 37, batch: 5)
        #expect((tile.core as! ChoppedTransferCore).transferReads == 18)
    }

    @Test func tikiTakaWithUnitsInMbatchReadsOnceePerMiniBatch() throws {
        var c = Self.compound(.transfer)
        #expect(c.unitsInMbatch, "TransferCompound default")
        #expect(c.nReadsPerTransfer == 1)
        var tile = try F.tile(c, out: 3, in: 4)
        var core = try #require(tile.core as? TikiTakaCore)
        F.train(tile, samples: 48, batch: 8)
        #expect(core.transferReads == 6, "one read per mini-batch of 8")
        #expect(core.nextLine[0] == 6 % 4)
        // transfer_every 2 mini-batches.
        c.transferEvery = 2
        tile = try F.tile(c, out: 3, in: 4)
        F.train(tile, samples: 48, batch: 8)
        #expect((tile.core as! TikiTakaCore).transferReads == 3)
        // n_reads_per_transfer 3: three consecutive columns per event.
        c.transferEvery = 1
        c.nReadsPerTransfer = 3
        tile = try F.tile(c, out: 3, in: 4)
        core = tile.core as! TikiTakaCore
        F.train(tile, samples: 16, batch: 8)
        #expect(core.transferReads == 6)
        #expect(core.nextLine[0] == 6 % 4)
        // units_in_mbatch false: one read per vector.
        c.nReadsPerTransfer = 1
        c.unitsInMbatch = false
        tile = try F.tile(c, out: 3, in: 4)
        F.train(tile, samples: 16, batch: 8)
        #expect((tile.core as! TikiTakaCore).transferReads == 16)
    }

    /// Random flips: every read of a line flips its chopper with probability p independently,
    /// so R reads give Binomial(R, p) flips: mean R·p, standard deviation √(R·p·(1 − p)). With
    /// R = 20000 and p = 0.1 that is 2000 ± 42.4; we allow 4 standard deviations. Per line
    /// (2500 reads each) 250 ± 15, also 4 SD.
    @Test func randomChopperFlipsAreBinomial() throws {
        var c = Self.compound(.chopped)
        c.inChopProb = 0.1
        c.inChopRandom = true
        let tile = try F.tile(c, out: 2, in: 8)
        let core = tile.core as! ChoppedTransferCore
        let reads = 20000
        var flipsPerLine = [Int](repeating: 0, count: 8)
        var previous = core.inChoppers
        let x = [Float](repeating: 0, count: 8), d = [Float](repeating: 0, count: 2)
        for _ in 0..<reads {
            tile.update(x: x, d: d, batch: 1, learningRate: 0.1)
            for j in 0..<8 where core.inChoppers[j] != previous[j] { flipsPerLine[j] += 1 }
            previous = core.inChoppers
        }
        #expect(core.transferReads == UInt64(reads))
        let total = flipsPerLine.reduce(0, +)
        #expect(UInt64(total) == core.inChopperFlips, "every flip is counted")
        let sd = (Double(reads) * 0.1 * 0.9).squareRoot()
        #expect(abs(Double(total) - 2000) < 4 * sd, "\(total) flips")
        let sdLine = (2500 * 0.1 * 0.9).squareRoot()
        for (j, n) in flipsPerLine.enumerated() {
            #expect(abs(Double(n) - 250) < 4 * sdLine, "line \(j): \(n) flips")
        }
        // Output choppers never flip with out_chop_prob 0.
        #expect(core.outChoppers.allSatisfy { $0 == 1 })
    }

    /// Output choppers: after every full sweep each flips with probability p_out:
    /// Binomial(sweeps·rows, p_out). 2000 sweeps × 3 rows, p_out 0.25: 1500 ± 33.5 (4 SD).
    @Test func outputChopperFlipsAfterEverySweep() throws {
        var c = Self.compound(.chopped)
        c.inChopProb = 0
        c.outChopProb = 0.25
        let tile = try F.tile(c, out: 3, in: 2)
        let core = tile.core as! ChoppedTransferCore
        var flips = 0
        var previous = core.outChoppers
        let x = [Float](repeating: 0, count: 2), d = [Float](repeating: 0, count: 3)
        for t in 1...4000 {
            tile.update(x: x, d: d, batch: 1, learningRate: 0.1)
            let changed = (0..<3).filter { core.outChoppers[$0] != previous[$0] }.count
            if t % 2 == 1 { #expect(changed == 0, "output choppers change only after the last line") }
            flips += changed
            previous = core.outChoppers
        }
        let sd = (6000 * 0.25 * 0.75).squareRoot()
        #expect(abs(Double(flips) - 1500) < 4 * sd, "\(flips) output chopper flips")
        #expect(core.inChoppers.allSatisfy { $0 == 1 })
    }

    /// Regular flips: line j flips at its read in sweep s exactly when (s mod N) + 1 == N,
    /// N = max(⌈1/p⌉, 2); so after sweep s its sign is (−1)^⌊(s+1)/N⌋.
    @Test(arguments: [(Float(0.3), 4), (0.25, 4), (0.5, 2), (0.6, 2), (1.0, 2), (0.01, 100)])
    func regularChopperFlipsEveryNSweeps(_ p: Float, _ n: Int) throws {
        for kind in [CompoundKind.chopped, .dynamic] {
            var c = Self.compound(kind)
            c.inChopProb = p
            c.inChopRandom = false
            let lines = 5
            let tile = try F.tile(c, out: 2, in: lines)
            let core = tile.core as! ChoppedTransferCore
            if let dynamic = core as? DynamicTransferCore { #expect(dynamic.chopperPeriod == UInt64(n)) }
            let x = [Float](repeating: 0, count: lines), d = [Float](repeating: 0, count: 2)
            let sweeps = 3 * n + 1
            var mismatches = 0
            for t in 1...(sweeps * lines) {
                tile.update(x: x, d: d, batch: 1, learningRate: 0.1)
                let line = (t - 1) % lines, sweep = (t - 1) / lines
                let expected: Int8 = ((sweep + 1) / n) % 2 == 0 ? 1 : -1
                if core.inChoppers[line] != expected { mismatches += 1 }
            }
            #expect(mismatches == 0, "\(kind) p \(p): \(mismatches) chopper signs off the schedule")
            #expect(core.inChopperFlips == UInt64(lines * (sweeps / n)))
        }
    }

    @Test func ttv2HasNoChopper() throws {
        var c = Self.compound(.chopped)
        c.inChopProb = 0
        let tile = try F.tile(c, out: 2, in: 3)
        F.train(tile, samples: 300)
        let core = tile.core as! ChoppedTransferCore
        #expect(core.inChopperFlips == 0)
        #expect(core.inChoppers.allSatisfy { $0 == 1 })
    }
}

/// Transfers happen per sample, so splitting the same samples into different mini-batches must
/// not change anything (the random streams are keyed by sample and event counters): in
/// particular a chopper flip in the middle of a mini-batch applies to the next sample's pulses.
@Suite struct BatchInvarianceTests {
    @Test(arguments: [CompoundKind.chopped, .dynamic])
    func miniBatchSizeDoesNotChangeTheResult(_ kind: CompoundKind) throws {
        var device = DeviceConfig(model: .softBounds)
        device.dwMin = 0.01
        var c = CompoundConfig(kind: kind, devices: [device, device])
        c.inChopProb = 0.5
        c.inChopRandom = true
        c.outChopProb = 0.3
        var g = Xoshiro256(seed: 11)
        let xs = (0..<(96 * 2)).map { _ in 2 * g.nextUniform() - 1 }
        let ds = (0..<(96 * 3)).map { _ in 2 * g.nextUniform() - 1 }
        func run(batch: Int) throws -> (a: [Float], c: [Float], h: [Float], flips: UInt64) {
            let tile = try AlgorithmFixtures.tile(c, out: 3, in: 2)
            for start in stride(from: 0, to: 96, by: batch) {
                tile.update(x: Array(xs[(start * 2)..<((start + batch) * 2)]), d: Array(ds[(start * 3)..<((start + batch) * 3)]),
                            batch: batch, learningRate: 0.3)
            }
            let core = tile.core as! ChoppedTransferCore
            return (core.arrays[0].weights().storage, core.arrays[1].weights().storage,
                    Array(UnsafeBufferPointer(start: core.buffer.pointer, count: 6)), core.inChopperFlips)
        }
        let single = try run(batch: 1), batched = try run(batch: 8)
        #expect(single.flips > 10)
        #expect(single.flips == batched.flips)
        #expect(single.a == batched.a, "A differs between batch 1 and batch 8")
        #expect(single.c == batched.c)
        #expect(single.h == batched.h)
    }
}
