import CrossbarFoundation
import CrossbarData
import CrossbarNetwork

/// The epoch loop of supervised training: shuffled mini-batches, forward, log-softmax NLL
/// loss, backward, update (analog tiles + digital SGD), then a test evaluation per epoch.
///
/// Determinism: the order of epoch e is ``epochOrder(count:epoch:seeds:)``, a function of
/// (master seed, e) only, and the learning rate is a function of e. All trainer state is the
/// value ``state``; together with the tiles and `Sequential/digitalState()` a run can stop
/// after any mini-batch and resume bit-identically (the caller saves and restores them).
/// Single-threaded; callbacks run on the calling thread.
public final class Trainer: EpochTrainer {
    public let model: Sequential
    public let train: Dataset
    public let test: Dataset?
    public let options: TrainingOptions
    public let seeds: SeedSet
    /// Position and running sums of the run (see ``TrainingState``); set it to resume.
    public var state = TrainingState()

    private let loss: LogSoftmaxNLLLoss
    private let batchInputs = ScratchBuffer<Float>()
    private let batchLabels = ScratchBuffer<Int32>()
    private var order: [Int32] = []
    private var orderEpoch = -1

    /// Checks that the model's input matches the samples and its outputs the classes.
    public init(model: Sequential, train: Dataset, test: Dataset? = nil, options: TrainingOptions, seeds: SeedSet) throws {
        try options.validate()
        if let test, test.shape != train.shape || test.classCount != train.classCount {
            throw CrossbarError.shapeMismatch(what: "test set \(test.name)", expected: "the training set's \(train.shape), \(train.classCount) classes",
                                              got: "\(test.shape), \(test.classCount) classes")
        }
        for data in [train] + (test.map { [$0] } ?? []) {
            guard model.inputShape.count == data.featureCount else {
                throw CrossbarError.shapeMismatch(what: "model input for \(data.name)", expected: "\(data.featureCount) values (\(data.shape))",
                                                  got: "\(model.inputShape.count) (\(model.inputShape))")
            }
            guard model.outputShape.count == data.classCount else {
                throw CrossbarError.shapeMismatch(what: "model output for \(data.name)", expected: "\(data.classCount) classes",
                                                  got: "\(model.outputShape.count) outputs")
            }
        }
        self.model = model
        self.train = train
        self.test = test
        self.options = options
        self.seeds = seeds
        loss = LogSoftmaxNLLLoss(classCount: train.classCount)
    }

    /// Mini-batches per epoch: ⌈train.count / batchSize⌉.
    public var batchesPerEpoch: Int { (train.count + options.batchSize - 1) / options.batchSize }

    /// True once all ``TrainingOptions/epochs`` epochs are done.
    public var isFinished: Bool { state.epoch >= options.epochs }

    /// The sample order of (0-based) epoch `epoch`: a Fisher–Yates shuffle of 0..<count driven
    /// by the `data_order` stream's generator for that epoch (unbiased bounded draws, Lemire's
    /// multiply-shift with rejection), independent of every other epoch.
    public static func epochOrder(count: Int, epoch: Int, seeds: SeedSet) -> [Int32] {
        precondition(count >= 0 && count <= Int(Int32.max) && epoch >= 0)
        var order = (0..<count).map { Int32($0) }
        var g = seeds.key(.dataOrder, "train").generator(UInt64(epoch))
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(bounded(UInt64(i + 1), &g))
                order.swapAt(i, j)
            }
        }
        return order
    }

    /// A uniform integer in 0..<n (n ≥ 1) without modulo bias.
    @inline(__always)
    static func bounded(_ n: UInt64, _ g: inout Xoshiro256) -> UInt64 {
        var m = g.next().multipliedFullWidth(by: n)
        if m.low < n {
            let threshold = (0 &- n) % n
            while m.low < threshold { m = g.next().multipliedFullWidth(by: n) }
        }
        return m.high
    }

    /// Trains from ``state`` to the end of the current epoch, then evaluates the test set and
    /// returns the epoch's metrics. `onBatch` runs after every mini-batch; when it returns false
    /// training stops there and the method returns nil (``state`` points at the next batch).
    ///
    /// Throws ``CrossbarError/diverged(epoch:batch:reason:)`` when a mini-batch's loss is not
    /// finite or above ``divergedLoss``, or when the weights are not finite after the epoch.
    public func trainEpoch(onBatch: ((BatchProgress) -> Bool)? = nil) throws -> EpochMetrics? {
        precondition(!isFinished, "trainEpoch: all \(options.epochs) epochs are done")
        let epoch = state.epoch
        if orderEpoch != epoch {
            order = Self.epochOrder(count: train.count, epoch: epoch, seeds: seeds)
            orderEpoch = epoch
        }
        let rate = options.schedule.rate(epoch: epoch)
        let features = train.featureCount
        let batches = batchesPerEpoch
        let x = batchInputs.ensure(options.batchSize * features)
        let labels = batchLabels.ensure(options.batchSize)
        var correct = 0
        while state.batchIndex < batches {
            let start = ContinuousClock.now
            let first = state.batchIndex * options.batchSize
            let batch = min(options.batchSize, train.count - first)
            train.images.withUnsafeBufferPointer { images in
                train.labels.withUnsafeBufferPointer { allLabels in
                    order.withUnsafeBufferPointer { o in
                        for b in 0..<batch {
                            let s = Int(o[first + b])
                            (x + b * features).update(from: images.baseAddress! + s * features, count: features)
                            labels[b] = allLabels[s]
                        }
                    }
                }
            }
            let logits = model.forward(FloatBuffer(x, count: batch * features), batch: batch, training: true)
            let batchLoss = loss.evaluate(logits: logits, labels: labels, batch: batch, correct: &correct)
            guard batchLoss.isFinite, batchLoss <= Self.divergedLoss else {
                throw CrossbarError.diverged(epoch: epoch + 1, batch: state.batchIndex + 1,
                                             reason: "the mini-batch loss is \(batchLoss) (allowed: finite and ≤ \(Self.divergedLoss))")
            }
            model.backward(loss.gradient, batch: batch)
            model.update(learningRate: rate)
            state.seconds += Self.seconds(since: start)
            state.lossSum += Double(batchLoss) * Double(batch)
            state.correct += correct
            state.samples += batch
            let progress = BatchProgress(epoch: epoch, batchIndex: state.batchIndex, batchCount: batches, loss: batchLoss, learningRate: rate)
            state.batchIndex += 1
            if let onBatch, !onBatch(progress), state.batchIndex < batches { return nil }
        }
        try checkWeightsFinite(epoch: epoch + 1)
        let evalStart = ContinuousClock.now
        let result = test.map { evaluate($0) }
        let evalSeconds = Self.seconds(since: evalStart)
        let n = max(state.samples, 1)
        let metrics = EpochMetrics(epoch: epoch + 1, learningRate: rate, trainLoss: state.lossSum / Double(n),
                                   trainAccuracy: Double(state.correct) / Double(n), testLoss: result?.loss,
                                   testAccuracy: result?.accuracy, samples: state.samples, seconds: state.seconds,
                                   evaluationSeconds: evalSeconds,
                                   samplesPerSecond: state.seconds > 0 ? Double(state.samples) / state.seconds : 0)
        state = TrainingState()
        state.epoch = epoch + 1
        return metrics
    }

    /// A mini-batch loss above this (nats per sample) means the run has diverged: a classifier's
    /// cross-entropy stays within a few times ln(classes) unless its logits explode.
    public static let divergedLoss: Float = 1e6

    /// Throws ``CrossbarError/diverged(epoch:batch:reason:)`` if any analog weight or digital
    /// parameter is not finite (once per epoch: one pass over the weights).
    func checkWeightsFinite(epoch: Int) throws {
        for tile in model.analogTiles {
            // The exact weights (no write-noise draw: checking changes nothing).
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

    /// Trains the remaining epochs; returns their metrics.
    @discardableResult
    public func run() throws -> [EpochMetrics] { try run(onEpoch: { _ in }) }

    /// Mean loss and accuracy of the model on `data` (inference forward passes in batches of
    /// ``TrainingOptions/evaluationBatchSize``, in dataset order).
    public func evaluate(_ data: Dataset) -> Evaluation {
        let features = data.featureCount
        let size = options.evaluationBatchSize
        let evalLoss = LogSoftmaxNLLLoss(classCount: data.classCount)
        var total: Double = 0
        var hits = 0
        var correct = 0
        data.images.withUnsafeBufferPointer { images in
            data.labels.withUnsafeBufferPointer { labels in
                var first = 0
                while first < data.count {
                    let batch = min(size, data.count - first)
                    let logits = model.forward(FloatBuffer(images.baseAddress! + first * features, count: batch * features),
                                               batch: batch, training: false)
                    let l = evalLoss.evaluate(logits: logits, labels: labels.baseAddress! + first, batch: batch, correct: &correct)
                    total += Double(l) * Double(batch)
                    hits += correct
                    first += batch
                }
            }
        }
        return Evaluation(loss: total / Double(max(data.count, 1)), accuracy: Double(hits) / Double(max(data.count, 1)), count: data.count)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = start.duration(to: .now)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
