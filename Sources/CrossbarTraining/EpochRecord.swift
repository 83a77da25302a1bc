import CrossbarFoundation
import CrossbarAlgorithms

/// One line of a training metrics file (JSON Lines): everything measured in one epoch and
/// everything needed to reproduce it. Keys are snake_case (see docs/training.md for every field).
public struct EpochRecord: Codable, Sendable, Equatable {
    /// Number of the epoch, 1-based.
    public var epoch: Int
    /// Epochs the run was asked for (the `epochs` of its options).
    public var epochs: Int
    /// Model name (`fc`, `lenet5`, or the caller's name for a custom network).
    public var model: String
    /// How the configuration was named on the command line (preset name or file); the
    /// authoritative value is ``configuration``.
    public var configurationName: String
    /// Learning rate used in this epoch.
    public var learningRate: Float
    /// Mean training loss over the epoch (batch-mean losses weighted by batch size).
    public var trainLoss: Double
    /// Fraction of training samples classified correctly during training, in [0, 1].
    public var trainAccuracy: Double
    /// Mean test loss and test accuracy in [0, 1] after the epoch (nil without a test set).
    public var testLoss: Double?
    public var testAccuracy: Double?
    /// Training samples of the epoch.
    public var samples: Int
    /// Wall-clock seconds of training (forward, backward, update) and of the test evaluation.
    public var seconds: Double
    public var evaluationSeconds: Double
    /// Training throughput, samples / seconds.
    public var samplesPerSecond: Double
    /// ``ParallelExecutor/threadCount`` during the epoch (results do not depend on it).
    public var threads: Int
    /// Pulses per training sample in this epoch (up + down, all devices of the array), by
    /// layer (the tile's path, e.g. `layer0`) and array (`W` for one array; `A`, `C` for the
    /// transfer compounds). Empty for floating-point tiles, which have no devices.
    public var pulsesPerSample: [String: [String: Double]]
    /// The seeds of the run (all random streams derive from them).
    public var seeds: SeedSet
    /// Fingerprint of the run (``RunIdentity/fingerprint``): lines of the same run share it.
    public var run: String
    /// The full resolved tile configuration.
    public var configuration: TileConfiguration
    /// CrossbarKit version.
    public var version: String

    enum CodingKeys: String, CodingKey {
        case epoch, epochs, model, samples, seconds, threads, seeds, run, configuration, version
        case configurationName = "configuration_name"
        case learningRate = "learning_rate"
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
        case evaluationSeconds = "evaluation_seconds"
        case samplesPerSecond = "samples_per_second"
        case pulsesPerSample = "pulses_per_sample"
    }

    /// The record as one line of JSON (sorted keys, no trailing newline).
    public var jsonLine: String { JSONCoding.encodeString(self, pretty: false) }

    /// The measured quantities that must be identical for identical runs (everything except
    /// wall-clock times, throughput and the thread count).
    public var deterministicPart: EpochRecord {
        var r = self
        r.seconds = 0
        r.evaluationSeconds = 0
        r.samplesPerSecond = 0
        r.threads = 0
        return r
    }
}
