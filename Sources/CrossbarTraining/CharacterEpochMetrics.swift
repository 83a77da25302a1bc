import Foundation

/// Cross-entropy and next-character accuracy of a character model on one corpus part.
public struct CharacterEvaluation: Codable, Sendable, Equatable {
    /// Mean cross-entropy per predicted character, in nats (≥ 0).
    public var loss: Double
    /// Fraction of characters whose most likely prediction is the actual next character, [0, 1].
    public var accuracy: Double
    /// Characters predicted.
    public var characters: Int

    /// Perplexity e^loss (≥ 1): the effective number of equally likely next characters.
    public var perplexity: Double { exp(loss) }

    public init(loss: Double, accuracy: Double, characters: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.characters = characters
    }
}

/// Metrics of one completed epoch of character-model training.
public struct CharacterEpochMetrics: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey {
        case epoch, seconds, characters, validation, test
        case learningRate = "learning_rate"
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case evaluationSeconds = "evaluation_seconds"
        case charactersPerSecond = "characters_per_second"
    }

    /// Number of the epoch, 1-based.
    public var epoch: Int
    /// Learning rate used in this epoch.
    public var learningRate: Float
    /// Mean training cross-entropy per character (nats) over the epoch, measured during training
    /// (with dropout active).
    public var trainLoss: Double
    /// Next-character accuracy during training, [0, 1].
    public var trainAccuracy: Double
    /// The validation part after the epoch.
    public var validation: CharacterEvaluation
    /// The test part after the epoch.
    public var test: CharacterEvaluation
    /// Training characters processed in the epoch.
    public var characters: Int
    /// Wall-clock seconds of training (forward, backward, update).
    public var seconds: Double
    /// Wall-clock seconds of the two evaluations.
    public var evaluationSeconds: Double
    /// Training throughput: characters / seconds.
    public var charactersPerSecond: Double
}
