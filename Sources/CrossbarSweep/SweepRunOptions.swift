/// How ``SweepRunner`` runs a sweep.
public struct SweepRunOptions: Sendable {
    /// Which points to run (all by default).
    public var shard: SweepShard
    /// How many points run at once (threads), ≥ 1; capped at the number of points to run.
    public var jobs: Int
    /// Re-run points whose latest record is a failure (default: a failure is final, like a
    /// success, so a re-run only does what is missing).
    public var retryFailed: Bool
    /// The order in which pending points start: axis paths, slowest first; points are sorted by
    /// the position of their value in each named axis's `values`, then by index (empty: index
    /// order). Only the order of execution changes — indices, shards, ids and records are those
    /// of the sweep file — so a long grid can finish, say, one seed at every decisive offset
    /// before the next seed (`["seed", "device.reference_std"]`), and its results file is still
    /// the grid's.
    public var runOrder: [String] = []
    /// Called (from worker threads, one call at a time) when a running point reports progress
    /// (a training point after each epoch); nil: not reported.
    public var pointProgress: (@Sendable (SweepPointProgress) -> Void)?

    public init(shard: SweepShard = .all, jobs: Int = 1, retryFailed: Bool = false, runOrder: [String] = [],
                pointProgress: (@Sendable (SweepPointProgress) -> Void)? = nil) {
        self.shard = shard
        self.jobs = jobs
        self.retryFailed = retryFailed
        self.runOrder = runOrder
        self.pointProgress = pointProgress
    }
}

/// What a sweep run did.
public struct SweepRunSummary: Sendable, Equatable {
    /// Points in the shard.
    public var points = 0
    /// Points skipped because the results file already had their record.
    public var skipped = 0
    /// Points run now.
    public var ran = 0
    /// Points run now that failed.
    public var failedNow = 0
    /// Ids of the shard's points whose latest record is a failure at the end (includes earlier,
    /// not retried failures).
    public var failedIDs: [String] = []
    /// Ids of the shard's points whose latest record says the run diverged (a result, not a
    /// failure: not retried, and `succeeded` stays true).
    public var divergedIDs: [String] = []
    /// Bytes of a torn last line (from a killed run) removed from the results file.
    public var repairedBytes = 0
    /// Records in the results file that are not points of this sweep (kept untouched).
    public var foreignRecords = 0

    public init() {}

    /// True when every point of the shard has a successful record.
    public var succeeded: Bool { failedIDs.isEmpty }
}

/// Progress of a running sweep, reported after each finished point.
public struct SweepProgress: Sendable {
    public var record: SweepRecord
    /// Points finished in this run so far, and to run in total.
    public var finished: Int
    public var total: Int
    /// Wall-clock seconds since this run started.
    public var elapsed: Double
    /// Estimated seconds until the last point of this run finishes (elapsed per finished point
    /// × points left; nil before the first point finishes).
    public var remaining: Double? { finished > 0 ? elapsed / Double(finished) * Double(total - finished) : nil }

    /// "2 h 05 min", "12 min", "40 s": a duration for progress lines.
    public static func durationText(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(saturating: seconds.rounded())
        if s >= 3600 { return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return "\(s / 60) min" }
        return "\(s) s"
    }
}

/// Progress reported by a point while it runs.
public struct SweepPointProgress: Sendable {
    public var point: SweepPoint
    /// Fraction done, in [0, 1].
    public var fraction: Double
    /// What the task says about its state ("epoch 3/20: test accuracy 81.2 %").
    public var message: String
    /// Wall-clock seconds since the point started (in this process).
    public var elapsed: Double
    /// Estimated seconds left for the point (nil when nothing was done in this process yet).
    public var remaining: Double?
}

/// What a running point gets from the runner besides its document: a work folder of its own
/// that outlives a killed sweep, and a way to report progress.
public struct SweepPointContext: Sendable {
    /// A folder private to the point (created before the run, removed once its record is
    /// written): a long task keeps its checkpoints there and resumes from them.
    public var workDirectory: String
    let reporter: (@Sendable (_ fraction: Double, _ message: String) -> Void)?

    public init(workDirectory: String, reporter: (@Sendable (_ fraction: Double, _ message: String) -> Void)? = nil) {
        self.workDirectory = workDirectory
        self.reporter = reporter
    }

    /// Reports that `fraction` of the point is done.
    public func report(fraction: Double, _ message: String) { reporter?(fraction, message) }
}
