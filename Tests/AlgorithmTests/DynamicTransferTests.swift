import CrossbarKit
import Foundation
import Testing
import TestSupport

/// AGAD (`DynamicTransferCompound`, docs/algorithms.md): warm-up, running mean and reference,
/// buffer_cap, output choppers.
@Suite struct DynamicTransferTests {
    typealias F = AlgorithmFixtures

    static func compound(_ kind: CompoundKind, inChopProb: Float) -> CompoundConfig {
        var c = CompoundConfig(kind: kind, devices: [F.exactDevice(), F.exactDevice()])
        c.transferForward = .perfect
        c.inChopProb = inChopProb
        c.inChopRandom = false
        return c
    }

    /// Constant x = 1, d = 1 with the absolute fast LR 1: every update sends 31 pulses to every
    /// element of A, so every read crosses the threshold (lr_scale = 0.1/0.01 = 10).
    static func drive(_ tile: AnalogTile, _ samples: Int) {
        let x = [Float](repeating: 1, count: tile.inSize), d = [Float](repeating: 1, count: tile.outSize)
        for _ in 0..<samples { tile.update(x: x, d: d, batch: 1, learningRate: 0.1) }
    }

    @Test func agadWritesNothingToCDuringTheFirstChopperPeriod() throws {
        // N = 4 sweeps of 4 columns; writes are allowed once more than N sweeps are complete,
        // i.e. from sample (N + 1)·4 + 1 = 21 on.
        let agad = try F.tile(Self.compound(.dynamic, inChopProb: 0.25), out: 3, in: 4)
        let core = agad.core as! DynamicTransferCore
        for t in 1...20 {
            Self.drive(agad, 1)
            #expect(core.arrays[1].engine.counters.total == 0, "C was written at sample \(t), during the warm-up")
            #expect(core.inWarmUp || t == 20)
        }
        #expect(!core.inWarmUp)
        Self.drive(agad, 40)
        #expect(core.arrays[1].engine.counters.total > 0, "C is written after the warm-up")
        // Control: c-TTv2 with the same settings writes during those first 20 samples, so the
        // crossings are there and only the warm-up holds AGAD back.
        let chopped = try F.tile(Self.compound(.chopped, inChopProb: 0.25), out: 3, in: 4)
        Self.drive(chopped, 20)
        #expect((chopped.core as! ChoppedTransferCore).arrays[1].engine.counters.total > 0)
    }

    /// Constructed reads (x = 0, A fixed at v in column 0, lr_scale 1, N = 4, tail_weightening 2
    /// ⇒ β = 0.5): P follows the EMA of the reads, P_ref takes P's value at the first read after
    /// the flip, and H integrates c·(v − P_ref).
    @Test func runningMeanReferenceAndBufferFollowTheSpec() throws {
        var c = Self.compound(.dynamic, inChopProb: 0.25)
        c.tailWeightening = 2
        let tile = try F.tile(c, out: 3, in: 2)
        let core = tile.core as! DynamicTransferCore
        let v: [Float] = [0.05, -0.1, 0.15]
        core.arrays[0].array.set([v[0], 0, v[1], 0, v[2], 0])
        let x: [Float] = [0, 0], d: [Float] = [0, 0, 0]
        func col(_ b: DeviceBuffer) -> [Float] { (0..<3).map { b.pointer[$0 * 2] } }
        func close(_ a: [Float], _ factor: Float) -> Bool { zip(a, v).allSatisfy { abs($0 - factor * $1) < 1e-6 } }
        let expectedMean: [Float] = [0.5, 0.75, 0.875, 0.9375, 0.96875]
        let expectedReference: [Float] = [0, 0, 0, 0, 0.9375]
        let expectedBuffer: [Float] = [1, 2, 3, 4, 4 - (1 - 0.9375)]
        for sweep in 0..<5 {
            for _ in 0..<2 { tile.update(x: x, d: d, batch: 1, learningRate: 0.01) }
            #expect(close(col(core.runningMean), expectedMean[sweep]), "P after sweep \(sweep): \(col(core.runningMean))")
            #expect(close(col(core.reference), expectedReference[sweep]), "P_ref after sweep \(sweep): \(col(core.reference))")
            #expect(close(col(core.buffer), expectedBuffer[sweep]), "H after sweep \(sweep): \(col(core.buffer))")
        }
        #expect(core.inChoppers == [-1, -1])
    }

    @Test func bufferCapClipsHWheneverPositive() throws {
        var c = Self.compound(.dynamic, inChopProb: 0.25)
        c.bufferCap = 0.5
        let tile = try F.tile(c, out: 3, in: 2)
        let core = tile.core as! DynamicTransferCore
        core.arrays[0].array.set([0.3, 0, -0.4, 0, 0.1, 0])
        let x: [Float] = [0, 0], d: [Float] = [0, 0, 0]
        for _ in 0..<4 { tile.update(x: x, d: d, batch: 1, learningRate: 0.01) }
        // Two reads of column 0: H = 2·v = [0.6, −0.8, 0.2] clipped to ±0.5 (cap·BL, BL = 1).
        let h = (0..<3).map { core.buffer.pointer[$0 * 2] }
        #expect(zip(h, [Float(0.5), -0.5, 0.2]).allSatisfy { abs($0 - $1) < 1e-6 }, "H = \(h)")
    }

    @Test func agadFlipsOutputChoppersWhenAsked() throws {
        // docs/algorithms.md §7: the reference CPU code ignores out_chop_prob for AGAD; we honour it.
        var c = Self.compound(.dynamic, inChopProb: 0.25)
        c.outChopProb = 0.5
        let tile = try F.tile(c, out: 8, in: 2)
        let core = tile.core as! DynamicTransferCore
        var changes = 0
        var previous = core.outChoppers
        let x: [Float] = [0, 0], d = [Float](repeating: 0, count: 8)
        for _ in 0..<200 {
            tile.update(x: x, d: d, batch: 1, learningRate: 0.01)
            changes += zip(previous, core.outChoppers).filter { $0 != $1 }.count
            previous = core.outChoppers
        }
        // 100 sweeps × 8 output choppers, p = 0.5: 400 ± 14 flips; more than 300 is 7 SD away
        // from "never".
        #expect(changes > 300, "\(changes) output chopper flips")
    }

    @Test func agadRequiresAChopper() throws {
        var c = Self.compound(.dynamic, inChopProb: 0)
        #expect { try c.validate() } throws: { e in
            guard case let .invalidParameter(field, value, _) = e as? CrossbarError else { return false }
            return field == "in_chop_prob" && value == "0.0"
        }
        c.inChopProb = 0.1
        c.autoMomentum = 0
        #expect { try c.validate() } throws: { "\($0)".contains("auto_momentum") }
    }
}
