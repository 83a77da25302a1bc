import Foundation
import CrossbarFoundation
import CrossbarData
import CrossbarAlgorithms
import CrossbarNetwork
import CrossbarTraining

/// The `lstm` model of the `train` task: the character model ``LSTMCharacterModel`` on a text.
///
/// `data` is `"fortunes"` (the default corpus, ``CharacterCorpus/fortunes(folder:split:)``;
/// the task's default `"fashion-mnist"` also means it for `lstm`) or a UTF-8 text file;
/// `lstm` holds hidden size, layers, dropout and clipping, `sequence_length` the characters per
/// sequence, `batch_size` the sequences per mini-batch (also of the validation and test
/// evaluations, as in the reference). `train_samples` and `test_samples` do not apply.
extension TrainingTask {
    /// The `data` value of the default character corpus.
    public static let fortunesData = "fortunes"

    func validateLSTM() throws {
        do { try lstm.validate() } catch let e as CrossbarError { throw e.prefixed(by: "lstm") }
        try Check.atLeast(sequenceLength, 1, "sequence_length")
        if trainSamples != 0 || testSamples != 0 {
            throw CrossbarError.invalidParameter(field: trainSamples != 0 ? "train_samples" : "test_samples",
                                                 value: "\(trainSamples != 0 ? trainSamples : testSamples)",
                                                 allowed: "0 for model lstm (the corpus split decides the parts)")
        }
        if data == Self.syntheticData {
            throw CrossbarError.invalidParameter(field: "data", value: data, allowed: "fortunes or a UTF-8 text file for model lstm")
        }
    }

    /// The character corpus of an `lstm` task.
    public func characterCorpus() throws -> CharacterCorpus {
        if data == Self.fortunesData || data == Self.fashionMNIST { return try CharacterCorpus.fortunes() }
        return try CharacterCorpus.load(path: data)
    }

    /// Trains the `lstm` model (deterministic for a given document, whatever the thread count);
    /// checkpoints as ``run(checkpoint:events:)``: after every epoch, and a checkpoint of this
    /// very document found at `checkpoint` is resumed (another run's is replaced).
    public func runLSTM(checkpoint: String? = nil, onResume: ((Int) -> Void)? = nil,
                        onEpoch: ((CharacterEpochRecord) -> Void)? = nil) throws -> [CharacterEpochRecord] {
        try validate()
        guard model == .lstm else { throw CrossbarError.invalidParameter(field: "model", value: model.rawValue, allowed: "lstm") }
        let configuration = try tileConfiguration()
        let corpus = try characterCorpus()
        let options = TrainingOptions(epochs: epochs, batchSize: batchSize, schedule: schedule, evaluationBatchSize: batchSize)
        func session() throws -> CharacterTrainingSession {
            try CharacterTrainingSession(corpus: corpus, modelOptions: lstm, sequenceLength: sequenceLength, configuration: configuration,
                                         configurationName: presetName, options: options, seeds: SeedSet(master: seed))
        }
        var run = try session()
        if let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
            do {
                try run.restore(from: try TrainingSession.readCheckpoint(checkpoint), source: checkpoint)
                onResume?(run.completedEpochs)
            } catch {
                run = try session()
            }
        }
        try run.train(outputs: TrainingOutputs(checkpoint: checkpoint), onEpoch: onEpoch)
        guard !run.history.isEmpty else { throw CrossbarError.message("train task: no epoch completed") }
        return run.history
    }
}
