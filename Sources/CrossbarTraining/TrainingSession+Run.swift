import Foundation
import CrossbarFoundation

/// Where a training run writes while it trains, and how often.
public struct TrainingOutputs: Sendable {
    /// Checkpoint file, rewritten atomically (nil: no checkpoints).
    public var checkpoint: String?
    /// Write the checkpoint every K completed epochs (≥ 1) and after the last one.
    public var checkpointEveryEpochs = 1
    /// JSON Lines metrics file, one ``EpochRecord`` appended per epoch (nil: none).
    public var metrics: String?

    public init(checkpoint: String? = nil, checkpointEveryEpochs: Int = 1, metrics: String? = nil) {
        self.checkpoint = checkpoint
        self.checkpointEveryEpochs = checkpointEveryEpochs
        self.metrics = metrics
    }
}

/// What a caller of ``TrainingSession/train(outputs:resumeFrom:events:)`` hears about the run
/// (all optional; called on the training thread).
public struct TrainingEvents {
    /// A run resumed from a checkpoint: completed epochs, and metrics lines of this run
    /// removed because they came after the checkpoint.
    public var resumed: ((_ completedEpochs: Int, _ discardedMetricsLines: Int) -> Void)?
    /// A checkpoint found where a run keeps them could not be resumed (another run's, from
    /// an incompatible version, or damaged) and the run starts afresh: the reason, as the
    /// error states it.
    public var checkpointSetAside: ((_ reason: String) -> Void)?
    /// An epoch starts: its 0-based index, mini-batches and samples.
    public var epochStarted: ((_ epoch: Int, _ batches: Int, _ samples: Int) -> Void)?
    /// After each mini-batch; return false to stop the run there (it can be checkpointed).
    public var batchFinished: ((BatchProgress, TrainingState) -> Bool)?
    /// An epoch's record, after it was appended to the metrics file (and checkpointed, when due).
    public var epochFinished: ((EpochRecord) -> Void)?

    public init() {}
}

extension TrainingSession {
    /// Trains the remaining epochs with checkpoints and metrics: the loop of `crossbar train`
    /// and of the sweep task `train`, for any library user.
    ///
    /// - With `resumeFrom`, restores that checkpoint first (a checkpoint of another run is
    ///   refused before anything changes) and removes this run's metrics lines written after
    ///   it, so every epoch appears exactly once in the metrics file.
    /// - After each epoch: appends its record to `outputs.metrics` (flushed to disk), then,
    ///   every `checkpointEveryEpochs` epochs and after the last, writes the checkpoint
    ///   atomically. A kill at any point loses at most the work since the last checkpoint;
    ///   resuming then rewinds the metrics file to that checkpoint.
    /// - Output files are checked for writability before the first epoch.
    /// Returns the records of the epochs trained by this call.
    @discardableResult
    public func train(outputs: TrainingOutputs, resumeFrom: String? = nil, events: TrainingEvents = TrainingEvents()) throws -> [EpochRecord] {
        guard outputs.checkpointEveryEpochs >= 1 else {
            throw CrossbarError.invalidParameter(field: "checkpoint_every_epochs", value: "\(outputs.checkpointEveryEpochs)", allowed: "≥ 1")
        }
        let log = outputs.metrics.map { MetricsLog(path: $0) }
        try log?.checkWritable()
        if let checkpoint = outputs.checkpoint { try AtomicFile.checkWritable(checkpoint) }
        if let resumeFrom {
            try resume(from: resumeFrom)
            let dropped = try log?.discardLines(ofRun: identity.fingerprint, after: completedEpochs) ?? 0
            events.resumed?(completedEpochs, dropped)
        }
        var trained: [EpochRecord] = []
        while !isFinished {
            events.epochStarted?(completedEpochs, trainer.batchesPerEpoch, trainer.train.count)
            let onBatch: ((BatchProgress) -> Bool)? = events.batchFinished.map { callback in
                { [unowned self] p in callback(p, self.trainer.state) }
            }
            guard let record = try trainEpoch(onBatch: onBatch) else { break }
            try log?.append(record)
            if let checkpoint = outputs.checkpoint, record.epoch % outputs.checkpointEveryEpochs == 0 || isFinished {
                try writeCheckpoint(to: checkpoint)
            }
            trained.append(record)
            events.epochFinished?(record)
        }
        return trained
    }
}
