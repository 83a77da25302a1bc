import CrossbarFoundation
import CrossbarData
import CrossbarAlgorithms
import CrossbarNetwork

/// A complete supervised training run — network, tile configuration, data, options, seed — that
/// produces one ``EpochRecord`` per epoch and can be checkpointed and resumed bit-identically
/// (``checkpoint()``, ``restore(from:source:)``). The library side of `crossbar train`.
///
/// Every analog layer is configured by the same `TileConfiguration` (a preset such as
/// `AGADReRamSB`, a JSON file, or `fp`); see `Models/build(_:input:classes:configuration:seeds:)`.
/// Single-threaded driver; the kernels use `ParallelExecutor/threadCount` threads, which
/// changes nothing but the wall time.
public final class TrainingSession {
    /// Name of the model (`fc`, `lenet5`, or the caller's name for a custom network).
    public let modelName: String
    /// How the configuration was named (preset name or file), for reports only.
    public let configurationName: String
    public let configuration: TileConfiguration
    public let network: Sequential
    public let trainer: Trainer
    /// What a checkpoint must match to be resumed by this session.
    public let identity: RunIdentity
    /// The records of all completed epochs (including those before a restored checkpoint).
    public package(set) var history: [EpochRecord] = []
    /// Pulse totals of every array at the start of the current epoch (layer order, then array
    /// order), for the per-epoch pulse counts.
    var epochStartPulses: [UInt64] = []

    /// A session around a network built by the caller. `network`'s analog layers should have
    /// been built with `configuration` (it is recorded in metrics and checkpoints).
    public init(modelName: String, network: Sequential, configuration: TileConfiguration, configurationName: String? = nil,
                train: Dataset, test: Dataset?, options: TrainingOptions, seeds: SeedSet) throws {
        self.modelName = modelName
        self.configurationName = configurationName ?? (configuration.isFloatingPoint ? "fp" : "custom")
        self.configuration = configuration
        self.network = network
        trainer = try Trainer(model: network, train: train, test: test, options: options, seeds: seeds)
        identity = try RunIdentity(model: modelName, network: network, configuration: configuration, seeds: seeds,
                                   options: options, train: train, test: test)
        epochStartPulses = pulseTotals()
    }

    /// A session for the named model (`Models/build(_:input:classes:configuration:seeds:)`)
    /// sized for `train` (input shape and class count).
    public convenience init(model: ModelName, configuration: TileConfiguration, configurationName: String? = nil,
                            train: Dataset, test: Dataset?, options: TrainingOptions, seeds: SeedSet) throws {
        let network = try Models.build(model, input: train.shape, classes: train.classCount, configuration: configuration, seeds: seeds)
        try self.init(modelName: model.rawValue, network: network, configuration: configuration, configurationName: configurationName,
                      train: train, test: test, options: options, seeds: seeds)
    }

    public var options: TrainingOptions { trainer.options }
    public var seeds: SeedSet { trainer.seeds }
    /// Completed epochs.
    public var completedEpochs: Int { trainer.state.epoch }
    public var isFinished: Bool { trainer.isFinished }

    /// Trains to the end of the current epoch (see ``Trainer/trainEpoch(onBatch:)``) and returns
    /// its record; nil when `onBatch` stopped it early (the session can continue or be
    /// checkpointed at that point).
    /// Throws ``CrossbarError/diverged(epoch:batch:reason:)`` when the run diverges.
    public func trainEpoch(onBatch: ((BatchProgress) -> Bool)? = nil) throws -> EpochRecord? {
        guard let m = try trainer.trainEpoch(onBatch: onBatch) else { return nil }
        let now = pulseTotals()
        var pulses: [String: [String: Double]] = [:]
        var k = 0
        for tile in network.analogTiles {
            var arrays: [String: Double] = [:]
            for (name, _) in tile.core.pulseCounters {
                arrays[name] = m.samples > 0 ? Double(now[k] &- epochStartPulses[k]) / Double(m.samples) : 0
                k += 1
            }
            if !arrays.isEmpty { pulses[tile.path] = arrays }
        }
        epochStartPulses = now
        let record = EpochRecord(
            metrics: m, epochs: options.epochs, model: modelName, configurationName: configurationName,
            threads: ParallelExecutor.threadCount, pulsesPerSample: pulses, seeds: seeds, run: identity.fingerprint,
            configuration: configuration, version: CrossbarVersion.current)
        history.append(record)
        return record
    }

    /// Trains the remaining epochs; returns their records.
    @discardableResult
    public func run() throws -> [EpochRecord] { try run(onEpoch: { _ in }) }

    /// Trains the remaining epochs, calling `onEpoch` after each (throwing from it stops the
    /// run at the start of the next epoch); returns the new records.
    @discardableResult
    public func run(onEpoch: (EpochRecord) throws -> Void) throws -> [EpochRecord] {
        var out: [EpochRecord] = []
        while !isFinished {
            guard let r = try trainEpoch() else { break }
            out.append(r)
            try onEpoch(r)
        }
        return out
    }

    /// Total pulses (up + down) of every array of every tile, in layer then array order.
    func pulseTotals() -> [UInt64] {
        network.analogTiles.flatMap { $0.core.pulseCounters.map(\.counters.total) }
    }
}
