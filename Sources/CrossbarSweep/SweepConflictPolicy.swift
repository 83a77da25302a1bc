/// What `sweep merge` does when two inputs hold different successful outcomes for one point.
public enum SweepConflictPolicy: String, Sendable, CaseIterable {
    /// Stop with an error listing the conflicts; write nothing (the default: the same point
    /// should always give the same metrics, so a conflict means mixed code versions or inputs).
    case error
    /// Keep the record from the earliest input that has one.
    case first
    /// Keep the record from the latest input that has one.
    case last
}
