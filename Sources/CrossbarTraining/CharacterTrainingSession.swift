import Foundation
import CrossbarFoundation
import CrossbarData
import CrossbarAlgorithms
import CrossbarNetwork

/// A complete character-model training run — ``LSTMCharacterModel``, tile configuration,
/// corpus, sequence length, options, seed — producing one ``CharacterEpochRecord`` per epoch,
/// checkpointed and resumed bit-identically like ``TrainingSession``.
///
/// The run identity holds the model ("lstm"), the model options, the sequence length, the
/// resolved configuration, the seed, the batch sizes, the schedule and the corpus (name,
/// digest, vocabulary size and part sizes). Checkpoint entries: `meta.*` as for
/// ``TrainingSession`` (kind "crossbar-train-lstm"), `trainer.state`, `trainer.epoch_start_pulses`, `seeds`,
/// `tiles.<layer>.…`, `layers.<layer>.weight_scale` and `digital.<layer>.bias`.
public final class CharacterTrainingSession {
    public let configurationName: String
    public let configuration: TileConfiguration
    public let model: LSTMCharacterModel
    public let trainer: CharacterTrainer
    public let identity: RunIdentity
    /// The records of all completed epochs (including those before a restored checkpoint).
    public private(set) var history: [CharacterEpochRecord] = []
    /// Pulse totals of every array at the start of the current epoch (layer order, then array
    /// order), for the per-epoch pulse counts.
    private var epochStartPulses: [UInt64] = []

    static let checkpointKind = "crossbar-train-lstm"

    public init(corpus: CharacterCorpus, modelOptions: LSTMModelOptions, sequenceLength: Int, configuration: TileConfiguration,
                configurationName: String? = nil, options: TrainingOptions, seeds: SeedSet) throws {
        try configuration.validate()
        self.configuration = configuration
        self.configurationName = configurationName ?? (configuration.isFloatingPoint ? "fp" : "custom")
        model = try LSTMCharacterModel(vocabularySize: corpus.vocabularySize, options: modelOptions,
                                       tiles: .configured(configuration, seeds: seeds), layerOptions: configuration.mapping, seeds: seeds)
        trainer = try CharacterTrainer(model: model, corpus: corpus, sequenceLength: sequenceLength, options: options)
        let config = try JSONValue.parse(configuration.toJSON(), what: "configuration")
        let schedule = try JSONValue.parse(options.schedule.toJSON(), what: "schedule")
        let lstm = try JSONValue.parse(modelOptions.toJSON(), what: "model options")
        identity = RunIdentity(document: [
            "format": .number(Double(RunIdentity.format)),
            "version": .string(CrossbarVersion.current),
            "model": .string("lstm"),
            "network": .string(model.description),
            "model_options": lstm,
            "sequence_length": .number(Double(sequenceLength)),
            "configuration": config,
            "seed": .string(String(seeds.master)),
            "batch_size": .number(Double(options.batchSize)),
            "evaluation_batch_size": .number(Double(options.evaluationBatchSize)),
            "schedule": schedule,
            "corpus": [
                "name": .string(corpus.name), "digest": .string(corpus.digest),
                "vocabulary": .number(Double(corpus.vocabularySize)), "train": .number(Double(corpus.train.count)),
                "validation": .number(Double(corpus.validation.count)), "test": .number(Double(corpus.test.count)),
            ],
        ])
        epochStartPulses = pulseTotals()
    }

    /// Total pulses (up + down) of every array of every tile, in layer then array order.
    private func pulseTotals() -> [UInt64] {
        model.analogTiles.flatMap { $0.core.pulseCounters.map(\.counters.total) }
    }

    public var options: TrainingOptions { trainer.options }
    public var seeds: SeedSet { trainer.model.seeds }
    public var completedEpochs: Int { trainer.state.epoch }
    public var isFinished: Bool { trainer.isFinished }

    /// Trains to the end of the current epoch and returns its record (nil when `onBatch`
    /// stopped it early).
    public func trainEpoch(onBatch: ((BatchProgress) -> Bool)? = nil) throws -> CharacterEpochRecord? {
        guard let m = try trainer.trainEpoch(onBatch: onBatch) else { return nil }
        let now = pulseTotals()
        var pulses: [String: [String: Double]] = [:]
        var k = 0
        for tile in model.analogTiles {
            var arrays: [String: Double] = [:]
            for (name, _) in tile.core.pulseCounters {
                arrays[name] = m.characters > 0 ? Double(now[k] &- epochStartPulses[k]) / Double(m.characters) : 0
                k += 1
            }
            if !arrays.isEmpty { pulses[tile.path] = arrays }
        }
        epochStartPulses = now
        let record = CharacterEpochRecord(
            epoch: m.epoch, metrics: m, epochs: options.epochs, model: "lstm", modelOptions: model.options,
            sequenceLength: trainer.train.sequenceLength, corpus: trainer.corpus.name, corpusDigest: trainer.corpus.digest,
            configurationName: configurationName, threads: ParallelExecutor.threadCount, pulsesPerCharacter: pulses, seeds: seeds,
            run: identity.fingerprint,
            configuration: configuration, version: CrossbarVersion.current)
        history.append(record)
        return record
    }

    /// Trains the remaining epochs with checkpoints and metrics (see
    /// ``TrainingSession/train(outputs:resumeFrom:events:)``: the same files, the same
    /// guarantees). `onEpoch` hears every finished record; `onBatch` every mini-batch (return
    /// false to stop there).
    @discardableResult
    public func train(outputs: TrainingOutputs, resumeFrom: String? = nil,
                      onResume: ((_ completedEpochs: Int, _ discardedMetricsLines: Int) -> Void)? = nil,
                      onBatch: ((BatchProgress, TrainingState) -> Bool)? = nil,
                      onEpoch: ((CharacterEpochRecord) -> Void)? = nil) throws -> [CharacterEpochRecord] {
        guard outputs.checkpointEveryEpochs >= 1 else {
            throw CrossbarError.invalidParameter(field: "checkpoint_every_epochs", value: "\(outputs.checkpointEveryEpochs)", allowed: "≥ 1")
        }
        let log = outputs.metrics.map { MetricsLog(path: $0) }
        try log?.checkWritable()
        if let checkpoint = outputs.checkpoint { try AtomicFile.checkWritable(checkpoint) }
        if let resumeFrom {
            try restore(from: try TrainingSession.readCheckpoint(resumeFrom), source: resumeFrom)
            let dropped = try log?.discardLines(ofRun: identity.fingerprint, after: completedEpochs) ?? 0
            onResume?(completedEpochs, dropped)
        }
        var trained: [CharacterEpochRecord] = []
        while !isFinished {
            let batchCallback: ((BatchProgress) -> Bool)? = onBatch.map { callback in
                { [unowned self] p in callback(p, self.trainer.state) }
            }
            guard let record = try trainEpoch(onBatch: batchCallback) else { break }
            try log?.append(line: record.jsonLine)
            if let checkpoint = outputs.checkpoint, record.epoch % outputs.checkpointEveryEpochs == 0 || isFinished {
                try writeCheckpoint(to: checkpoint)
            }
            trained.append(record)
            onEpoch?(record)
        }
        return trained
    }

    /// The complete state of the run now (between mini-batches). Taking it changes nothing.
    public func checkpoint() -> StateArchive {
        var a = StateArchive()
        CheckpointHeader.write(into: &a, kind: Self.checkpointKind, identity: identity, model: "lstm",
                               configurationName: configurationName, configurationJSON: configuration.toJSON(), epochs: options.epochs,
                               historyLines: history.map(\.jsonLine), state: trainer.state,
                               learningRate: options.schedule.rate(epoch: trainer.state.epoch), epochStartPulses: epochStartPulses,
                               seed: seeds.master)
        for tile in model.analogTiles { tile.saveState(to: &a, prefix: "tiles.\(tile.path).") }
        for (path, scale) in model.weightScales { a.put("layers.\(path).weight_scale", scale) }
        for (name, p) in model.digitalParameters { a.put("digital.\(name)", p.values) }
        return a
    }

    /// Restores the state saved by ``checkpoint()`` after checking that it belongs to this run
    /// (same ``RunIdentity``; another run's checkpoint is refused before anything changes, with
    /// the differing fields named). `source` names the checkpoint in errors.
    public func restore(from archive: StateArchive, source: String = "checkpoint") throws {
        func fail(_ why: String) -> CrossbarError { .file(path: source, reason: why) }
        try CheckpointHeader.verify(archive, kind: Self.checkpointKind, identity: identity,
                                    hint: "Resume with exactly the options of the run that wrote it (model options, sequence length, "
                                        + "configuration, seed, batch sizes, learning-rate schedule, corpus).", fail: fail)
        let history = try CheckpointHeader.history(archive, as: CharacterEpochRecord.self, fail: fail)
        let state = try CheckpointHeader.trainerState(archive, batchesPerEpoch: trainer.batchesPerEpoch,
                                                      recordedEpochs: history.count, fail: fail)
        let pulses = try CheckpointHeader.epochStartPulses(archive, count: epochStartPulses.count, seed: seeds.master, fail: fail)
        for tile in model.analogTiles { try tile.loadState(from: archive, prefix: "tiles.\(tile.path).") }
        for (path, _) in model.weightScales { try model.restoreWeightScale(path: path, try archive.float("layers.\(path).weight_scale")) }
        for (name, p) in model.digitalParameters {
            do { try p.setValues(try archive.floats("digital.\(name)")) } catch let e as CrossbarError {
                throw CrossbarError.message("digital_parameters.\(name): \(e)")
            }
        }
        trainer.state = state
        epochStartPulses = pulses
        self.history = history
    }

    /// Writes ``checkpoint()`` to `path` atomically.
    public func writeCheckpoint(to path: String) throws {
        try AtomicFile.write(checkpoint().encoded(), to: path)
    }
}
