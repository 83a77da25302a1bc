import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarDevices
@testable import CrossbarTraining

/// An LSTM run with 2 threads ends in exactly the state of the same run with 1 thread.
///
/// Hidden size 128 makes the first LSTM tile 512 × (V + 128): with a one-hot character and a
/// dense h, one update row touches about 512 × 129 ≈ 66 000 devices, above
/// ``PulsedUpdateEngine/parallelThreshold``, so the pulse kernels really split rows over the
/// threads (checked through the process-wide dispatch counter).
@Suite(.serialized) struct LSTMThreadInvarianceTests {
    func run(threads: Int) throws -> CharacterTrainingSession {
        let saved = ParallelExecutor.threadCount
        ParallelExecutor.threadCount = threads
        defer { ParallelExecutor.threadCount = saved }
        let corpus = try CharacterCorpus(text: structuredText(sentences: 40, seed: 9), name: "structured")
        let session = try CharacterTrainingSession(
            corpus: corpus, modelOptions: LSTMModelOptions(hiddenSize: 128, layers: 2, dropout: 0.2), sequenceLength: 8,
            configuration: try ConfigurationPresets.configuration("ChoppedTTv2ReRamSB"), configurationName: "ChoppedTTv2ReRamSB",
            options: TrainingOptions(epochs: 1, batchSize: 4, schedule: .constant(0.5), evaluationBatchSize: 4), seeds: SeedSet(master: 5))
        #expect(try session.trainEpoch { $0.batchIndex + 1 < 4 } == nil)
        return session
    }

    @Test func twoThreadsGiveTheSameBytesAsOne() throws {
        #expect(512 * 129 >= PulsedUpdateEngine.parallelThreshold)
        let one = try run(threads: 1)
        let before = ParallelExecutor.parallelDispatchCount
        let two = try run(threads: 2)
        #expect(ParallelExecutor.parallelDispatchCount > before, "no parallel dispatch")
        #expect(one.trainer.state.batchIndex == 4 && two.trainer.state.batchIndex == 4)
        #expect(stateDifferences(one.checkpoint(), two.checkpoint()).filter { $0 != "trainer.state" } == [])
        #expect(one.trainer.state.lossSum == two.trainer.state.lossSum)
        #expect(one.trainer.state.correct == two.trainer.state.correct)
    }
}
