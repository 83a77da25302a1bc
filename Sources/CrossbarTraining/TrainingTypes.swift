import CrossbarFoundation

/// Settings of a training run (the library side of `crossbar train`).
public struct TrainingOptions: ConfigRecord {
    /// Number of epochs (≥ 1). Default 1.
    public var epochs = 1
    /// Mini-batch size (≥ 1). Default 10. The last mini-batch of an epoch may be smaller.
    public var batchSize = 10
    /// Batch size of evaluation passes (≥ 1; affects speed, and which noise draws analog
    /// forward passes use, not their statistics). Default 100.
    public var evaluationBatchSize = 100
    /// Learning rate per epoch.
    public var schedule = LearningRateSchedule()

    public init() {}

    public init(epochs: Int, batchSize: Int = 10, schedule: LearningRateSchedule, evaluationBatchSize: Int = 100) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.schedule = schedule
        self.evaluationBatchSize = evaluationBatchSize
    }

    public static var fields: [ConfigField<TrainingOptions>] {
        [.init("epochs", \.epochs), .init("batch_size", \.batchSize),
         .init("evaluation_batch_size", \.evaluationBatchSize), .init("schedule", \.schedule)]
    }

    public func validate() throws {
        try Check.atLeast(epochs, 1, "epochs")
        try Check.atLeast(batchSize, 1, "batch_size")
        try Check.atLeast(evaluationBatchSize, 1, "evaluation_batch_size")
        do { try schedule.validate() } catch let e as CrossbarError { throw e.prefixed(by: "schedule") }
    }
}

/// Everything the trainer itself carries between mini-batches: with the model's tiles and
/// digital parameters (`Sequential/digitalState()`) this is what a checkpoint must save to
/// resume a run exactly. The data order of an epoch is a function of (seed, epoch), the
/// learning rate a function of the epoch, so they need no state of their own.
public struct TrainingState: Codable, Sendable, Equatable {
    /// Current epoch, 0-based (= number of completed epochs when `batchIndex` is 0).
    public var epoch = 0
    /// Next mini-batch within the epoch.
    public var batchIndex = 0
    /// Σ (mean batch loss × batch size) over the batches of this epoch so far.
    public var lossSum: Double = 0
    /// Correctly classified training samples of this epoch so far (from the training forward).
    public var correct = 0
    /// Training samples of this epoch so far.
    public var samples = 0
    /// Wall-clock seconds spent training in this epoch so far.
    public var seconds: Double = 0

    public init() {}
}

/// Metrics of one completed epoch, handed to the per-epoch callback.
public struct EpochMetrics: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey {
        case epoch, samples, seconds
        case learningRate = "learning_rate"
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
        case evaluationSeconds = "evaluation_seconds"
        case samplesPerSecond = "samples_per_second"
    }

    /// Number of the epoch, 1-based (the first epoch is 1).
    public var epoch: Int
    /// Learning rate used in this epoch.
    public var learningRate: Float
    /// Mean training loss over the epoch's samples (each mini-batch's mean loss weighted by
    /// its size), measured during training.
    public var trainLoss: Double
    /// Fraction of training samples classified correctly during training, in [0, 1].
    public var trainAccuracy: Double
    /// Mean loss on the test set after the epoch (nil without a test set).
    public var testLoss: Double?
    /// Fraction of test samples classified correctly after the epoch (nil without a test set).
    public var testAccuracy: Double?
    /// Training samples processed in the epoch.
    public var samples: Int
    /// Wall-clock seconds of training (forward, backward, update) in the epoch.
    public var seconds: Double
    /// Wall-clock seconds of the test evaluation.
    public var evaluationSeconds: Double
    /// Training throughput: samples / seconds.
    public var samplesPerSecond: Double
}

/// Progress of one mini-batch, handed to the per-batch callback.
public struct BatchProgress: Sendable, Equatable {
    /// Epoch, 0-based.
    public var epoch: Int
    /// Index of the mini-batch just trained, 0-based.
    public var batchIndex: Int
    /// Mini-batches per epoch.
    public var batchCount: Int
    /// Mean loss of this mini-batch.
    public var loss: Float
    /// Learning rate used.
    public var learningRate: Float
}

/// Loss and accuracy of a model on a dataset.
public struct Evaluation: Sendable, Equatable {
    /// Mean loss per sample.
    public var loss: Double
    /// Fraction classified correctly, in [0, 1].
    public var accuracy: Double
    /// Samples evaluated.
    public var count: Int
}
