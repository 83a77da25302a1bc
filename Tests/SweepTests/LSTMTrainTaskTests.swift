import Foundation
import Testing
import CrossbarKit
@testable import CrossbarExperiments

/// The `train` sweep task with `"model": "lstm"`: a sweep point gives exactly the library run's
/// metrics, and LSTM-only fields are validated by name.
@Suite struct LSTMTrainTaskTests {
    /// A small text with structure (12 words in a fixed cycle).
    static let text = String(repeating: "one two three four five six seven eight nine ten eleven twelve ", count: 12)

    @Test func lstmSweepPointMatchesTheLibraryRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let corpus = dir.file("words.txt")
        try Self.text.write(toFile: corpus, atomically: true, encoding: .utf8)
        let s = try spec(#"""
            {"name": "lstm-small", "base": {"task": "train", "model": "lstm", "data": "\#(corpus)", "lstm": {"hidden_size": 6},
             "sequence_length": 10, "epochs": 1, "batch_size": 4, "learning_rate": 0.5},
             "axes": [{"path": "algorithm", "values": ["fp", "c-ttv2"]}]}
            """#)
        let runner = try SweepRunner(spec: s, registry: .standard)
        let result = try runner.run(resultsPath: dir.file("r.jsonl"), options: SweepRunOptions(jobs: 1))
        #expect(result.succeeded && result.ran == 2)
        let records = SweepRecord.latest(try SweepResultsFile.read(dir.file("r.jsonl")).records)

        var t = TrainingTask()
        t.model = .lstm
        t.algorithm = .cTTv2
        t.data = corpus
        t.lstm.hiddenSize = 6
        t.sequenceLength = 10; t.batchSize = 4; t.learningRate = 0.5
        let direct = try #require(try t.runLSTM().last).metrics
        let record = try #require(records.first { $0.point["algorithm"] == .string("c-ttv2") })
        #expect(record.metrics["validation_loss"] == direct.validation.loss)
        #expect(record.metrics["test_perplexity"] == direct.test.perplexity)
        #expect(record.metrics["test_error"] == 1 - direct.test.accuracy)
        #expect((record.metrics["pulses_per_character_A"] ?? 0) > 0 && record.metrics["pulses_per_character_C"] != nil)
        #expect(records.first { $0.point["algorithm"] == .string("fp") }?.metrics.keys.allSatisfy { !$0.hasPrefix("pulses") } == true)
        for r in records {
            for key in ["train_loss", "validation_loss", "validation_perplexity", "validation_accuracy", "test_loss", "test_accuracy"] {
                #expect(r.metrics[key]?.isFinite == true, "\(key) of \(r.point)")
            }
        }
    }

    @Test func lstmFieldsAreValidatedByName() {
        func error(_ change: (inout TrainingTask) -> Void) -> String {
            var t = TrainingTask()
            t.model = .lstm
            change(&t)
            do { try t.validate() } catch { return "\(error)" }
            return ""
        }
        #expect(error { $0.lstm.hiddenSize = 0 }.contains("lstm.hidden_size"))
        #expect(error { $0.lstm.dropout = 1 }.contains("lstm.dropout"))
        #expect(error { $0.sequenceLength = 0 }.contains("sequence_length"))
        #expect(error { $0.trainSamples = 10 }.contains("train_samples"))
        #expect(error { $0.data = TrainingTask.syntheticData }.contains("data"))
        #expect(error { _ in }.isEmpty)
    }
}
