import Foundation
import CrossbarFoundation

/// Checkpoints of a training session: the complete state of the run in a `StateArchive`.
///
/// Entries (docs/training.md lists them with their meaning):
/// - `meta.kind` ("crossbar-train"), `meta.identity` (canonical JSON of the ``RunIdentity``),
///   `meta.fingerprint` (its SHA-256), `meta.model`, `meta.configuration_name`,
///   `meta.configuration` (the resolved configuration, pretty JSON), `meta.epochs`,
///   `meta.history` (the ``EpochRecord`` JSON lines of the completed epochs);
/// - `trainer.state` (epoch, next mini-batch, the epoch's running sums — the data-order and
///   learning-rate-schedule position, both functions of the epoch), `trainer.learning_rate`
///   (the rate of the current epoch, informational), `trainer.epoch_start_pulses`, `seeds`;
/// - `tiles.<layer>.…`: every tile's complete state (`AnalogTile/saveState(to:prefix:)`:
///   weights, device-to-device parameters, buffers, running means, choppers, counters and the
///   positions of all random streams) plus pending write-noise flags;
/// - `layers.<layer>.weight_scale` (s of weight scaling) and `digital.<layer>.<name>` (biases).
extension TrainingSession {
    static let checkpointKind = "crossbar-train"

    /// The complete state of the run now (between mini-batches). Taking it changes nothing.
    public func checkpoint() -> StateArchive {
        var a = StateArchive()
        CheckpointHeader.write(into: &a, kind: Self.checkpointKind, identity: identity, model: modelName,
                               configurationName: configurationName, configurationJSON: configuration.toJSON(), epochs: options.epochs,
                               historyLines: history.map(\.jsonLine), state: trainer.state,
                               learningRate: options.schedule.rate(epoch: trainer.state.epoch), epochStartPulses: epochStartPulses,
                               seed: seeds.master)
        for (_, layer) in network.analogLayers {
            let path = layer.tile.path
            layer.tile.saveState(to: &a, prefix: "tiles.\(path).")
            a.put("layers.\(path).weight_scale", layer.weightScale)
        }
        for (name, p) in network.digitalParameters { a.put("digital.\(name)", p.values) }
        return a
    }

    /// Restores the state saved by ``checkpoint()``, after checking that the checkpoint belongs
    /// to this run (same ``RunIdentity``). `source` names the checkpoint in error messages.
    ///
    /// A checkpoint of another run (different model, configuration, seed, data, batch size or
    /// schedule) is refused before anything changes, with the differing fields named. Should an
    /// entry be missing or have the wrong size anyway (a damaged file that passed the checksum),
    /// the error comes after part of the state was replaced: discard the session then.
    public func restore(from archive: StateArchive, source: String = "checkpoint") throws {
        func fail(_ why: String) -> CrossbarError { .file(path: source, reason: why) }
        try CheckpointHeader.verify(archive, kind: Self.checkpointKind, identity: identity,
                                    hint: "Resume with exactly the options of the run that wrote it (model, configuration, seed, "
                                        + "batch size, learning-rate schedule, data and sample counts).", fail: fail)
        let history = try CheckpointHeader.history(archive, as: EpochRecord.self, fail: fail)
        let state = try CheckpointHeader.trainerState(archive, batchesPerEpoch: trainer.batchesPerEpoch,
                                                      recordedEpochs: history.count, fail: fail)
        let pulses = try CheckpointHeader.epochStartPulses(archive, count: epochStartPulses.count, seed: seeds.master, fail: fail)

        for (_, layer) in network.analogLayers {
            let path = layer.tile.path
            try layer.tile.loadState(from: archive, prefix: "tiles.\(path).")
            try layer.restoreWeightScale(try archive.float("layers.\(path).weight_scale"))
        }
        var digital: [String: [Float]] = [:]
        for (name, _) in network.digitalParameters { digital[name] = try archive.floats("digital.\(name)") }
        try network.restoreDigitalState(digital)
        trainer.state = state
        epochStartPulses = pulses
        self.history = history
    }

    /// Writes ``checkpoint()`` to `path` atomically (temporary file in the same folder, flushed,
    /// then renamed over `path`): a crash leaves the previous checkpoint or the new one.
    public func writeCheckpoint(to path: String) throws {
        try AtomicFile.write(checkpoint().encoded(), to: path)
    }

    /// Reads and restores the checkpoint file `path` (see ``restore(from:source:)``).
    public func resume(from path: String) throws {
        try restore(from: try Self.readCheckpoint(path), source: path)
    }

    /// Reads and decodes a checkpoint file; missing, truncated or damaged files are refused
    /// with an error naming the file.
    public static func readCheckpoint(_ path: String) throws -> StateArchive {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path)
        else {
            throw CrossbarError.file(path: path, reason: "cannot be read (missing or not a file)")
        }
        return try StateArchive(decoding: data, path: path)
    }
}
