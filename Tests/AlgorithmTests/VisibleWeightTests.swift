import CrossbarKit
import Foundation
import Testing
import TestSupport

/// The visible weight of the compounds (docs/algorithms.md, §3.4): W = C when fully hidden (γ = 0),
/// W = Σ γ_k W_k (Tiki-Taka), W = C + γ·c_out,i·c_in,j·A_ij (chopped, de-chopped row-major,
/// docs/algorithms.md §7). Non-square tiles catch row/column mix-ups.
@Suite struct VisibleWeightTests {
    typealias F = AlgorithmFixtures

    static func device() -> DeviceConfig {
        var d = DeviceConfig(model: .softBounds)
        d.wMax = 1
        d.wMin = -1
        d.dwMin = 0.01
        d.wMaxDtod = 0
        d.wMinDtod = 0
        return d
    }

    static func maxDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

    @Test(arguments: [true, false])
    func choppedGammaMixesDechoppedAIntoTheWeight(_ columns: Bool) throws {
        var c = CompoundConfig(kind: .chopped, devices: [Self.device(), Self.device()])
        c.gamma = 0.5
        c.transferColumns = columns
        c.inChopProb = 0.5
        c.inChopRandom = true
        c.outChopProb = 0.5
        let tile = try F.tile(c, out: 3, in: 5)
        let core = tile.core as! ChoppedTransferCore
        #expect(!core.fullyHidden)
        #expect(core.gammas == [0.5, 1])
        F.train(tile, samples: 43, learningRate: 0.5)
        let a = core.arrays[0].weights().storage, cw = core.arrays[1].weights().storage
        // Both chopper signs must be present, or the de-chopping would not be tested.
        #expect(core.inChoppers.contains(-1) && core.inChoppers.contains(1))
        #expect(core.outChoppers.contains(-1))
        #expect(a.contains { abs($0) > 0.01 })
        var expected = [Float](repeating: 0, count: 15)
        for i in 0..<3 {
            for j in 0..<5 {
                let sign = columns ? core.outChoppers[i] * core.inChoppers[j] : core.inChoppers[i] * core.outChoppers[j]
                expected[i * 5 + j] = cw[i * 5 + j] + 0.5 * Float(sign) * a[i * 5 + j]
            }
        }
        #expect(Self.maxDiff(tile.weights().storage, expected) < 1e-6)
    }

    @Test func gammaZeroIsFullyHidden() throws {
        let c = CompoundConfig(kind: .chopped, devices: [Self.device(), Self.device()])
        let tile = try F.tile(c, out: 3, in: 5)
        let core = tile.core as! ChoppedTransferCore
        #expect(core.fullyHidden)
        F.train(tile, samples: 30, learningRate: 0.5)
        #expect(tile.weights() == core.arrays[1].weights())
        #expect(core.arrays[0].weights().storage.contains { $0 != 0 }, "A moved but is not visible")
    }

    @Test func tikiTakaWeightIsTheGammaWeightedSum() throws {
        var c = CompoundConfig(kind: .transfer, devices: [Self.device(), Self.device(), Self.device()])
        c.gamma = 0.5
        c.unitsInMbatch = false
        let tile = try F.tile(c, out: 3, in: 4)
        let core = tile.core as! TikiTakaCore
        #expect(core.gammas == [0.25, 0.5, 1])
        F.train(tile, samples: 40, learningRate: 0.5)
        let w = core.arrays.map { $0.weights().storage }
        let expected = (0..<12).map { 0.25 * w[0][$0] + 0.5 * w[1][$0] + w[2][$0] }
        #expect(Self.maxDiff(tile.weights().storage, expected) < 1e-6)
        #expect(w[0].contains { $0 != 0 } && w[1].contains { $0 != 0 })
        // Explicit gamma_vec.
        c.gammaVec = [0.3, 0.2, 1]
        let tile2 = try F.tile(c, out: 3, in: 4)
        F.train(tile2, samples: 40, learningRate: 0.5)
        let w2 = (tile2.core as! TikiTakaCore).arrays.map { $0.weights().storage }
        let expected2 = (0..<12).map { 0.3 * w2[0][$0] + 0.2 * w2[1][$0] + w2[2][$0] }
        #expect(Self.maxDiff(tile2.weights().storage, expected2) < 1e-6)
    }

    @Test func setWeightsProgramsTheLastArrayDividedByItsGamma() throws {
        var c = CompoundConfig(kind: .chopped, devices: [Self.device(), Self.device()])
        c.gammaVec = [0.3, 2]
        let tile = try F.tile(c, out: 2, in: 3)
        let core = tile.core as! ChoppedTransferCore
        F.train(tile, samples: 10, learningRate: 0.5)
        let target = Matrix(rows: 2, cols: 3, storage: [0.2, -0.4, 0.6, 0.8, -1.0, 0.0])
        try tile.setWeights(target)
        #expect(core.samples == 0)
        #expect(core.arrays[0].weights().storage.allSatisfy { $0 == 0 }, "A starts at 0")
        #expect(Self.maxDiff(core.arrays[1].weights().storage, target.storage.map { $0 / 2 }) < 1e-6)
        #expect(Self.maxDiff(tile.weights().storage, target.storage) < 1e-6)
        #expect((0..<6).allSatisfy { core.buffer.pointer[$0] == 0 }, "H restarts")
    }
}
