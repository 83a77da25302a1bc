/// How ``SweepRunner`` runs a sweep.
public struct SweepRunOptions: Sendable {
    /// Which points to run (all by default).
    public var shard: SweepShard
    /// How many points run at once (threads), ≥ 1; capped at the number of points to run.
    public var jobs: Int
    /// Re-run points whose latest record is a failure (default: a failure is final, like a
    /// success, so a re-run only does what is missing).
    public var retryFailed: Bool

    public init(shard: SweepShard = .all, jobs: Int = 1, retryFailed: Bool = false) {
        self.shard = shard
        self.jobs = jobs
        self.retryFailed = retryFailed
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
}
