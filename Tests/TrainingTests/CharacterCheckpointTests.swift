import Foundation
import Testing
import TestSupport
import CrossbarKit

/// Checkpoints of LSTM runs resume bit-identically (mirrors the fc checkpoint tests).
@Suite struct CharacterCheckpointTests {
    let corpus = try! CharacterCorpus(text: structuredText(sentences: 40, seed: 8), name: "structured")

    func session(_ config: TileConfiguration, epochs: Int = 2) throws -> CharacterTrainingSession {
        try CharacterTrainingSession(corpus: corpus, modelOptions: LSTMModelOptions(hiddenSize: 6, layers: 2, dropout: 0.2),
                                     sequenceLength: 8, configuration: config, configurationName: "test",
                                     options: TrainingOptions(epochs: epochs, batchSize: 4, schedule: .constant(0.1), evaluationBatchSize: 4),
                                     seeds: SeedSet(master: 31))
    }

    /// A run stopped after 3 mini-batches of its first epoch, checkpointed, restored into a new
    /// session and finished ends in exactly the state (all tiles with their devices, buffers,
    /// choppers and random-stream positions; digital biases; trainer position) of an
    /// uninterrupted run, and reports the same metrics.
    @Test(arguments: ["fp", "c-ttv2"])
    func resumeMidEpochIsBitIdentical(algorithm: String) throws {
        let config = algorithm == "fp" ? TileConfiguration.floatingPoint : algorithmConfiguration(.cTTv2)
        let full = try session(config)
        let fullRecords = try full.train(outputs: TrainingOutputs())

        let first = try session(config)
        var batches = 0
        #expect(try first.trainEpoch { _ in batches += 1; return batches < 3 } == nil)
        let saved = try StateArchive(decoding: first.checkpoint().encoded(), path: "memory")
        let resumed = try session(config)
        try resumed.restore(from: saved)
        #expect(resumed.trainer.state.batchIndex == 3)
        let rest = try resumed.train(outputs: TrainingOutputs())

        #expect(stateDifferences(full.checkpoint(), resumed.checkpoint()) == [])
        #expect(rest.count == 2)
        for (a, b) in zip(fullRecords, rest) {
            #expect(a.metrics.trainLoss == b.metrics.trainLoss)
            // The per-epoch pulse counts survive the mid-epoch checkpoint.
            #expect(a.pulsesPerCharacter == b.pulsesPerCharacter)
            if algorithm == "c-ttv2" {
                for layer in ["layer0", "layer1", "layer2"] { #expect((a.pulsesPerCharacter[layer]?["A"] ?? 0) > 0, "\(layer)") }
            } else {
                #expect(a.pulsesPerCharacter.isEmpty)
            }
            #expect(a.metrics.validation == b.metrics.validation && a.metrics.test == b.metrics.test)
        }
    }

    /// A checkpoint file written by `train(outputs:)` after epoch 1 resumes to the end; the
    /// metrics file then has every epoch once.
    @Test func checkpointFileResumesAndMetricsHaveEachEpochOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crossbar-lstm-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let checkpoint = dir + "/run.ckpt", metrics = dir + "/metrics.jsonl"
        let outputs = TrainingOutputs(checkpoint: checkpoint, metrics: metrics)
        let one = try session(.floatingPoint, epochs: 1)
        try one.train(outputs: outputs)
        // Extending the run to 3 epochs is the same run (epochs are not part of the identity).
        let more = try session(.floatingPoint, epochs: 3)
        var resumedAt = -1
        try more.train(outputs: outputs, resumeFrom: checkpoint, onResume: { done, _ in resumedAt = done })
        #expect(resumedAt == 1)
        let lines = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n")
        let epochs = lines.compactMap { try? JSONValue.parse(String($0)) }.compactMap { $0["epoch"]?.intValue }
        #expect(epochs == [1, 2, 3])

        // Another run's checkpoint (different sequence length) is refused by field.
        let other = try CharacterTrainingSession(corpus: corpus, modelOptions: LSTMModelOptions(hiddenSize: 6, layers: 2, dropout: 0.2),
                                                 sequenceLength: 9, configuration: .floatingPoint, configurationName: "test",
                                                 options: TrainingOptions(epochs: 3, batchSize: 4, schedule: .constant(0.1), evaluationBatchSize: 4),
                                                 seeds: SeedSet(master: 31))
        let message = errorMessage { try other.restore(from: try TrainingSession.readCheckpoint(checkpoint), source: checkpoint) }
        #expect(message.contains("sequence_length") && message.contains("another run"))
    }
}
