import CrossbarFoundation
import CrossbarData
import CrossbarNetwork

/// The epoch loop of a character language model (``LSTMCharacterModel``): mini-batches of
/// sequences in the fixed order of ``CharacterBatches``, forward, mean cross-entropy over the
/// batch's characters, backpropagation through time, update; after each epoch the validation
/// and test parts are evaluated (inference forward, no dropout).
///
/// Determinism: the batch order is fixed, the learning rate is a function of the epoch and the
/// dropout masks of mini-batch k of epoch e are those of draw e·N + k (N mini-batches per
/// epoch). All trainer state is ``state``; with the tiles and digital parameters a run can stop
/// after any mini-batch and resume bit-identically.
public final class CharacterTrainer: EpochTrainer {
    public let model: LSTMCharacterModel
    public let corpus: CharacterCorpus
    public let train: CharacterBatches
    public let validation: CharacterBatches
    public let test: CharacterBatches
    public let options: TrainingOptions
    /// Position and running sums (``TrainingState``; `samples` and `correct` count characters).
    public var state = TrainingState()

    private let loss: LogSoftmaxNLLLoss
    private let inputs = ScratchBuffer<Int32>()
    private let targets = ScratchBuffer<Int32>()

    /// - Parameters:
    ///   - options: epochs, batch size B (sequences per training mini-batch), evaluation batch
    ///     size (sequences per validation/test mini-batch) and the learning-rate schedule.
    ///   - sequenceLength: L (characters per sequence), 1 … n − 1 for every part.
    public init(model: LSTMCharacterModel, corpus: CharacterCorpus, sequenceLength: Int, options: TrainingOptions) throws {
        try options.validate()
        guard model.vocabularySize == corpus.vocabularySize else {
            throw CrossbarError.shapeMismatch(what: "model vocabulary", expected: "\(corpus.vocabularySize) characters (\(corpus.name))",
                                              got: "\(model.vocabularySize)")
        }
        train = try CharacterBatches(tokens: corpus.train, sequenceLength: sequenceLength, batchSize: options.batchSize,
                                     part: "training part of \(corpus.name)")
        validation = try CharacterBatches(tokens: corpus.validation, sequenceLength: sequenceLength,
                                          batchSize: options.evaluationBatchSize, part: "validation part of \(corpus.name)")
        test = try CharacterBatches(tokens: corpus.test, sequenceLength: sequenceLength, batchSize: options.evaluationBatchSize,
                                    part: "test part of \(corpus.name)")
        self.model = model
        self.corpus = corpus
        self.options = options
        loss = LogSoftmaxNLLLoss(classCount: corpus.vocabularySize)
    }

    /// Mini-batches per epoch (N of the training part).
    public var batchesPerEpoch: Int { train.batchCount }

    /// True once all epochs are done.
    public var isFinished: Bool { state.epoch >= options.epochs }

    /// Trains from ``state`` to the end of the current epoch, then evaluates validation and test.
    /// `onBatch` runs after every mini-batch; returning false stops there (nil is returned and
    /// ``state`` points at the next mini-batch).
    /// Throws ``CrossbarError/diverged(epoch:batch:reason:)`` for a non-finite or huge loss, or
    /// non-finite weights after the epoch.
    public func trainEpoch(onBatch: ((BatchProgress) -> Bool)? = nil) throws -> CharacterEpochMetrics? {
        precondition(!isFinished, "trainEpoch: all \(options.epochs) epochs are done")
        let epoch = state.epoch
        let rate = options.schedule.rate(epoch: epoch)
        let b = train.batchSize, l = train.sequenceLength, batches = train.batchCount
        let x = inputs.ensure(b * l), y = targets.ensure(b * l)
        var correct = 0
        while state.batchIndex < batches {
            let start = ContinuousClock.now
            train.fill(batch: state.batchIndex, inputs: x, targets: y)
            let draw = UInt64(epoch) &* UInt64(batches) &+ UInt64(state.batchIndex)
            let logits = model.forward(tokens: x, batch: b, steps: l, training: true, draw: draw)
            let batchLoss = loss.evaluate(logits: logits, labels: y, batch: b * l, correct: &correct)
            guard batchLoss.isFinite, batchLoss <= Trainer.divergedLoss else {
                throw CrossbarError.diverged(epoch: epoch + 1, batch: state.batchIndex + 1,
                                             reason: "the mini-batch loss is \(batchLoss) (allowed: finite and ≤ \(Trainer.divergedLoss))")
            }
            model.backward(loss.gradient)
            model.update(learningRate: rate)
            state.seconds += Trainer.seconds(since: start)
            state.lossSum += Double(batchLoss) * Double(b * l)
            state.correct += correct
            state.samples += b * l
            let progress = BatchProgress(epoch: epoch, batchIndex: state.batchIndex, batchCount: batches, loss: batchLoss, learningRate: rate)
            state.batchIndex += 1
            if let onBatch, !onBatch(progress), state.batchIndex < batches { return nil }
        }
        try checkWeightsFinite(epoch: epoch + 1)
        let evalStart = ContinuousClock.now
        let validationResult = evaluate(validation)
        let testResult = evaluate(test)
        let evalSeconds = Trainer.seconds(since: evalStart)
        let n = max(state.samples, 1)
        let metrics = CharacterEpochMetrics(
            epoch: epoch + 1, learningRate: rate, trainLoss: state.lossSum / Double(n), trainAccuracy: Double(state.correct) / Double(n),
            validation: validationResult, test: testResult, characters: state.samples, seconds: state.seconds,
            evaluationSeconds: evalSeconds, charactersPerSecond: state.seconds > 0 ? Double(state.samples) / state.seconds : 0)
        state = TrainingState()
        state.epoch = epoch + 1
        return metrics
    }

    /// Mean cross-entropy per character and next-character accuracy over all mini-batches of
    /// `part` (inference forward: noisy analog MVMs, no dropout, zero initial state per sequence).
    public func evaluate(_ part: CharacterBatches) -> CharacterEvaluation {
        let b = part.batchSize, l = part.sequenceLength
        let x = inputs.ensure(max(b, train.batchSize) * max(l, train.sequenceLength))
        let y = targets.ensure(max(b, train.batchSize) * max(l, train.sequenceLength))
        let evalLoss = LogSoftmaxNLLLoss(classCount: corpus.vocabularySize)
        var total: Double = 0
        var hits = 0, correct = 0
        for k in 0..<part.batchCount {
            part.fill(batch: k, inputs: x, targets: y)
            let logits = model.forward(tokens: x, batch: b, steps: l, training: false)
            total += Double(evalLoss.evaluate(logits: logits, labels: y, batch: b * l, correct: &correct)) * Double(b * l)
            hits += correct
        }
        let n = part.charactersPerEpoch
        return CharacterEvaluation(loss: total / Double(max(n, 1)), accuracy: Double(hits) / Double(max(n, 1)), characters: n)
    }

    /// Throws ``CrossbarError/diverged(epoch:batch:reason:)`` if any weight or digital parameter
    /// is not finite.
    func checkWeightsFinite(epoch: Int) throws {
        for tile in model.analogTiles {
            let w = tile.weights().storage
            if let k = w.firstIndex(where: { !$0.isFinite }) {
                throw CrossbarError.diverged(epoch: epoch, batch: nil, reason: "weight \(k) of \(tile.path) is \(w[k])")
            }
        }
        for (name, p) in model.digitalParameters {
            if let bad = p.values.first(where: { !$0.isFinite }) {
                throw CrossbarError.diverged(epoch: epoch, batch: nil, reason: "the digital parameter \(name) holds \(bad)")
            }
        }
    }
}
