import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/algorithms.md §11, buffer part: constructed reads of A (exact devices, perfect transfer IO,
/// updates with x = 0 so A does not move) and the resulting H and pulses on C.
///
/// Setup: A and C are noise-free constant-step devices with ε = 0.01, buffer_granularity 1 and
/// η = 0.01, so lr_scale = transfer_lr·η/(buffer_granularity·ε_A) = 1: every read adds the read
/// value itself to H. Every update reads the next column; column 0 is read at updates 1, 4, 7 …
/// of a 4×3 tile.
@Suite struct BufferThresholdTests {
    typealias F = AlgorithmFixtures
    static let column0: [Float] = [0.4, -0.7, 1.3, 2.6]
    static let eta: Float = 0.01

    /// A tile whose A holds `column0` in column 0 (other columns 0), and the core.
    static func setUp(_ configure: (inout CompoundConfig) -> Void) throws -> (AnalogTile, ChoppedTransferCore) {
        var c = CompoundConfig(kind: .chopped, devices: [F.exactDevice(), F.exactDevice()])
        c.transferForward = .perfect
        c.inChopProb = 0
        configure(&c)
        let tile = try F.tile(c, out: 4, in: 3)
        let core = tile.core as! ChoppedTransferCore
        core.arrays[0].array.set((0..<12).map { $0 % 3 == 0 ? column0[$0 / 3] : 0 })
        core.arrays[1].engine.enablePerDeviceCounts()
        return (tile, core)
    }

    /// `count` updates with x = 0 and d = 0 (no pulses on A; each triggers one transfer read).
    static func reads(_ tile: AnalogTile, _ count: Int) {
        let x = [Float](repeating: 0, count: tile.inSize), d = [Float](repeating: 0, count: tile.outSize)
        for _ in 0..<count { tile.update(x: x, d: d, batch: 1, learningRate: eta) }
    }

    static func column(_ p: UnsafeMutablePointer<Float>, _ j: Int, cols: Int = 3) -> [Float] { (0..<4).map { p[$0 * cols + j] } }
    static func cColumn(_ core: ChoppedTransferCore, _ j: Int) -> [Float] {
        let w = core.arrays[1].array.hiddenWeights()
        return (0..<4).map { w[$0 * 3 + j] }
    }

    static func close(_ a: [Float], _ b: [Float], tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol }
    }

    @Test func forgetBufferResetsHToMomentumTimesOmegaAndWritesOnePulse() throws {
        let (tile, core) = try Self.setUp { $0.forgetBuffer = true; $0.momentum = 0 }
        Self.reads(tile, 1)
        // ω = [0.4, −0.7, 1.3, 2.6]: |ω| ≥ 1 for rows 2, 3 → one pulse each (BL 1), H → 0.
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.4, -0.7, 0, 0]))
        #expect(Self.close(Self.cColumn(core, 0), [0, 0, 0.01, 0.01]))
        Self.reads(tile, 3) // columns 1, 2 (zeros), then column 0 again
        // ω = [0.8, −1.4, 1.3, 2.6]: row 1 crosses downwards.
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.8, 0, 0, 0]))
        #expect(Self.close(Self.cColumn(core, 0), [0, -0.01, 0.02, 0.02]))
        let up = core.arrays[1].engine.perDeviceUp!, down = core.arrays[1].engine.perDeviceDown!
        #expect((0..<4).map { up[$0 * 3] } == [0, 0, 2, 2])
        #expect((0..<4).map { down[$0 * 3] } == [0, 1, 0, 0])
        #expect(core.arrays[1].engine.counters.total == 5, "no pulses on the columns that read 0")
        #expect(Self.close(Self.column(core.buffer.pointer, 1), [0, 0, 0, 0]))
    }

    @Test func momentumKeepsAFractionOfOmega() throws {
        let (tile, core) = try Self.setUp { $0.forgetBuffer = true; $0.momentum = 0.25 }
        Self.reads(tile, 1)
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.4, -0.7, 0.325, 0.65]))
        Self.reads(tile, 3)
        // ω = [0.8, −1.4, 1.625, 3.25] → all but row 0 cross; H = 0.25·ω there.
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.8, -0.35, 0.40625, 0.8125]))
    }

    @Test func withoutForgetBufferHKeepsTheRemainder() throws {
        let (tile, core) = try Self.setUp { $0.forgetBuffer = false; $0.momentum = 0 }
        Self.reads(tile, 1)
        // n = clamp(trunc(ω), ±1) = [0, 0, 1, 1]; H = ω − n.
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.4, -0.7, 0.3, 1.6]))
        Self.reads(tile, 3)
        // ω = [0.8, −1.4, 1.6, 4.2]; n = [0, −1, 1, 1] (clamped to BL 1).
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.8, -0.4, 0.6, 3.2]))
        #expect(Self.close(Self.cColumn(core, 0), [0, -0.01, 0.02, 0.02]))
        let (tile2, core2) = try Self.setUp { $0.forgetBuffer = false; $0.momentum = 0.5 }
        Self.reads(tile2, 1)
        // H = ω − (1 − μ)·n.
        #expect(Self.close(Self.column(core2.buffer.pointer, 0), [0.4, -0.7, 0.8, 2.1]))
    }

    @Test func thresholdIsInclusiveAtOne() throws {
        let (tile, core) = try Self.setUp { _ in }
        core.arrays[0].array.set((0..<12).map { $0 % 3 == 0 ? [0.999, 1.0, -1.0, -0.999][$0 / 3] : 0 })
        Self.reads(tile, 1)
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.999, 0, 0, -0.999]))
        #expect(Self.close(Self.cColumn(core, 0), [0, 0.01, -0.01, 0]))
    }

    @Test func bufferGranularityAndTransferLRSetTheIncrement() throws {
        // buffer_granularity 4, transfer_lr 2: lr_scale = 2·0.01/(4·0.01) = 0.5.
        let (tile, core) = try Self.setUp { $0.bufferGranularity = 4; $0.transferLR = 2 }
        Self.reads(tile, 1)
        #expect(Self.close(Self.column(core.buffer.pointer, 0), [0.2, -0.35, 0.65, 0]))
        // auto_granularity 30 on 3 columns, transfer_every 1: bg ×= 30/(3·1) = 10 ⇒ lr_scale 0.05.
        let (tile2, core2) = try Self.setUp { $0.autoGranularity = 30 }
        Self.reads(tile2, 1)
        #expect(Self.close(Self.column(core2.buffer.pointer, 0), Self.column0.map { $0 * 0.1 }))
        // no_buffer: H is rebuilt from the current read only (never accumulates).
        let (tile3, core3) = try Self.setUp { $0.noBuffer = true }
        Self.reads(tile3, 4)
        #expect(Self.close(Self.column(core3.buffer.pointer, 0), [0.4, -0.7, 0, 0]))
    }

    @Test func choppedReadsAreDechoppedBeforeEnteringH() throws {
        // Regular chopper with N = 2 sweeps: column 0 flips at its read in sweep 1, so the reads
        // in sweeps 2 and 3 are multiplied by −1.
        let (tile, core) = try Self.setUp { $0.inChopProb = 1; $0.inChopRandom = false }
        core.arrays[0].array.set((0..<12).map { $0 % 3 == 0 ? 0.3 : 0 })
        var h: [Float] = []
        for _ in 0..<4 {
            Self.reads(tile, 3)
            h.append(core.buffer.pointer[0])
        }
        #expect(Self.close(h, [0.3, 0.6, 0.3, 0]), "H(0,0) after sweeps 0…3: \(h)")
    }

    /// With transfer desired_bl 3 (fixed BL, no management) n is clamped to ±3 and each write
    /// is one pulsed update of BL 3: at most 3 pulses per element and write. For the x side
    /// (the one-hot column) p = √(step/BL) = 0.577, for the d side min(1, 0.577·|n|) = 1, so an
    /// element gets Binomial(3, 0.577) pulses: the limit 3 is reached in 19 % of the writes.
    @Test func atMostDesiredBLPulsesPerElementPerWrite() throws {
        let (tile, core) = try Self.setUp {
            $0.transferUpdate.desiredBL = 3
            $0.forgetBuffer = false
        }
        core.arrays[0].array.set((0..<12).map { [Float(5), -4.5, 2.5, -8][$0 / 3] })
        let engine = core.arrays[1].engine
        var before = engine.perDeviceTotals()!
        var maxPerWrite: UInt32 = 0
        var writes = 0
        for _ in 0..<300 {
            Self.reads(tile, 1)
            let after = engine.perDeviceTotals()!
            let delta = zip(after, before).map { $0 - $1 }
            if delta.contains(where: { $0 > 0 }) { writes += 1 }
            maxPerWrite = max(maxPerWrite, delta.max()!)
            before = after
        }
        #expect(writes > 200)
        #expect(maxPerWrite == 3, "at most desired_bl and the limit is reached")
        // H keeps ω − n with n clamped to ±3: after the first read of column 0 (ω = 5, −4.5,
        // 2.5, −8): n = 3, −3, 2, −3.
        let (tile2, core2) = try Self.setUp { $0.transferUpdate.desiredBL = 3; $0.forgetBuffer = false }
        core2.arrays[0].array.set((0..<12).map { [Float(5), -4.5, 2.5, -8][$0 / 3] })
        Self.reads(tile2, 1)
        #expect(Self.close(Self.column(core2.buffer.pointer, 0), [2, -1.5, 0.5, -5]))
    }

    @Test func tikiTakaWritesAtMostItsTransferBLPerElement() throws {
        var c = CompoundConfig(kind: .transfer, devices: [F.exactDevice(), F.exactDevice()])
        c.transferForward = .perfect
        c.unitsInMbatch = false
        c.transferLR = 100 // lr_t = 100·η = 1: the read values are written 1:1 (≈ 400 pulses wanted)
        #expect(c.transferUpdate.desiredBL == 31)
        let tile = try F.tile(c, out: 4, in: 3)
        let core = tile.core as! TikiTakaCore
        core.arrays[0].array.set((0..<12).map { [Float(4), -3, 2, 0.5][$0 / 3] })
        core.arrays[1].engine.enablePerDeviceCounts()
        let engine = core.arrays[1].engine
        var before = engine.perDeviceTotals()!
        var maxPerWrite: UInt32 = 0
        let x = [Float](repeating: 0, count: 3), d = [Float](repeating: 0, count: 4)
        for _ in 0..<30 {
            tile.update(x: x, d: d, batch: 1, learningRate: Self.eta)
            let after = engine.perDeviceTotals()!
            maxPerWrite = max(maxPerWrite, zip(after, before).map { $0 - $1 }.max()!)
            before = after
        }
        #expect(maxPerWrite == 31)
    }

    /// TTv2 as `BufferedTransferCompound` (docs/algorithms.md): H accumulates |lr_t|·v in weight units,
    /// threshold θ = thres_scale·ε_C, n = clamp(trunc(ω/θ), ±BL), H ← ω − (1 − μ)·n·θ without
    /// forget_buffer.
    @Test func bufferedTransferUsesThresScaleInWeightUnits() throws {
        var c = CompoundConfig(kind: .buffered, devices: [F.exactDevice(), F.exactDevice()])
        c.transferForward = .perfect
        c.unitsInMbatch = false
        c.thresScale = 1.5 // θ = 0.015
        c.momentum = 0
        c.forgetBuffer = false
        #expect(c.transferUpdate == .singlePulse)
        let tile = try F.tile(c, out: 4, in: 3)
        let core = tile.core as! BufferedTransferCore
        core.arrays[0].array.set((0..<12).map { $0 % 3 == 0 ? [Float(0.2), -0.7, 1.3, 0.1][$0 / 3] : 0 })
        let x = [Float](repeating: 0, count: 3), d = [Float](repeating: 0, count: 4)
        // lr_t = transfer_lr·η = 0.05: ω = [0.01, −0.035, 0.065, 0.005]; ω/θ = [0.67, −2.33, 4.33, 0.33]
        // → n = [0, −1, 1, 0] (clamped to BL 1), H = ω − n·θ.
        tile.update(x: x, d: d, batch: 1, learningRate: 0.05)
        let h = (0..<4).map { core.buffers[0].pointer[$0 * 3] }
        #expect(Self.close(h, [0.01, -0.02, 0.05, 0.005], tol: 1e-7), "H = \(h)")
        let w = core.arrays[1].array.hiddenWeights()
        #expect(Self.close((0..<4).map { w[$0 * 3] }, [0, -0.01, 0.01, 0]))
    }
}
