import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// `--threads 2` gives exactly the numbers of `--threads 1`: the pulse kernels split rows into
/// chunks fixed by the array shape, each chunk drawing from its own counter-based generator.
///
/// The network is 256-256-4 on 256-dimensional clusters, so the first tile has 65 536 devices:
/// above ``PulsedUpdateEngine/parallelThreshold`` (active rows × active columns of a sample),
/// which the samples reach because inputs are dense (every feature non-zero); the test checks
/// that the 2-thread run dispatched work to several threads. The cases run one after the other
/// (the thread count is global); other suites may run while it is 2 — by the property under
/// test, that cannot change their results.
@Suite(.serialized) struct ThreadInvarianceTests {
    static let wideTask = try! SyntheticData.gaussianClusters(classes: 4, features: 256, trainCount: 120, testCount: 40,
                                                               seeds: SeedSet(master: 9))

    func run(_ config: TileConfiguration, threads: Int, lr: Float) throws -> TrainingSession {
        let saved = ParallelExecutor.threadCount
        ParallelExecutor.threadCount = threads
        defer { ParallelExecutor.threadCount = saved }
        let s = try clusterSession(config, seed: 12, epochs: 1, lr: lr, hidden: 256, data: Self.wideTask)
        try s.run()
        return s
    }

    @Test(arguments: ["TTv2ReRamSB", "ReRamSB", "AGADReRamSB"])
    func twoThreadsGiveTheSameBytesAsOne(_ name: String) throws {
        let config = try preset(name, inChopProb: name == "AGADReRamSB" ? 0.2 : nil)
        #expect(256 * 256 >= PulsedUpdateEngine.parallelThreshold)
        // In-memory SGD pulses sparsely at small rates; at lr 2 its samples cross the threshold.
        let lr: Float = name == "ReRamSB" ? 2 : 0.1
        let one = try run(config, threads: 1, lr: lr)
        let dispatchesBefore = ParallelExecutor.parallelDispatchCount
        let two = try run(config, threads: 2, lr: lr)
        // The 2-thread run really split work over threads (the counter is process-wide; the
        // other suites' arrays are far below the parallel threshold).
        #expect(ParallelExecutor.parallelDispatchCount > dispatchesBefore, "\(name): no parallel dispatch")
        #expect(two.history.first?.threads == 2 && one.history.first?.threads == 1)
        #expect(stateDifferences(one.checkpoint(), two.checkpoint()) == [], "\(name)")
        #expect(one.history.map(\.deterministicPart) == two.history.map(\.deterministicPart))
    }
}
