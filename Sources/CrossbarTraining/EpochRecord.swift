import CrossbarFoundation
import CrossbarAlgorithms

/// One line of a training metrics file (JSON Lines): everything measured in one epoch
/// (``metrics``, whose fields read as the record's own: `record.trainLoss`) and everything
/// needed to reproduce it. Keys are snake_case and flat — the metrics' keys beside the run's —
/// (see docs/training.md for every field).
@dynamicMemberLookup
public struct EpochRecord: Codable, Sendable, Equatable {
    /// What the epoch measured (losses, accuracies, samples, times).
    public var metrics: EpochMetrics
    /// Epochs the run was asked for (the `epochs` of its options).
    public var epochs: Int
    /// Model name (`fc`, `lenet5`, or the caller's name for a custom network).
    public var model: String
    /// How the configuration was named on the command line (preset name or file); the
    /// authoritative value is ``configuration``.
    public var configurationName: String
    /// `ParallelExecutor/threadCount` during the epoch (results do not depend on it).
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

    public init(metrics: EpochMetrics, epochs: Int, model: String, configurationName: String, threads: Int,
                pulsesPerSample: [String: [String: Double]], seeds: SeedSet, run: String, configuration: TileConfiguration,
                version: String) {
        self.metrics = metrics
        self.epochs = epochs
        self.model = model
        self.configurationName = configurationName
        self.threads = threads
        self.pulsesPerSample = pulsesPerSample
        self.seeds = seeds
        self.run = run
        self.configuration = configuration
        self.version = version
    }

    /// The metrics' fields as the record's own (`record.epoch`, `record.testAccuracy`, …).
    public subscript<T>(dynamicMember keyPath: WritableKeyPath<EpochMetrics, T>) -> T {
        get { metrics[keyPath: keyPath] }
        set { metrics[keyPath: keyPath] = newValue }
    }

    enum CodingKeys: String, CodingKey {
        case epochs, model, threads, seeds, run, configuration, version
        case configurationName = "configuration_name"
        case pulsesPerSample = "pulses_per_sample"
    }

    public init(from decoder: Decoder) throws {
        metrics = try EpochMetrics(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try c.decode(Int.self, forKey: .epochs)
        model = try c.decode(String.self, forKey: .model)
        configurationName = try c.decode(String.self, forKey: .configurationName)
        threads = try c.decode(Int.self, forKey: .threads)
        pulsesPerSample = try c.decode([String: [String: Double]].self, forKey: .pulsesPerSample)
        seeds = try c.decode(SeedSet.self, forKey: .seeds)
        run = try c.decode(String.self, forKey: .run)
        configuration = try c.decode(TileConfiguration.self, forKey: .configuration)
        version = try c.decode(String.self, forKey: .version)
    }

    public func encode(to encoder: Encoder) throws {
        try metrics.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(model, forKey: .model)
        try c.encode(configurationName, forKey: .configurationName)
        try c.encode(threads, forKey: .threads)
        try c.encode(pulsesPerSample, forKey: .pulsesPerSample)
        try c.encode(seeds, forKey: .seeds)
        try c.encode(run, forKey: .run)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(version, forKey: .version)
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
