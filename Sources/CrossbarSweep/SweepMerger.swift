import Foundation
import CrossbarFoundation

/// Merges results files (e.g. the shards of a sweep) into one: the union by point id, sorted by
/// expansion index.
///
/// Within one input the latest record of an id counts (a retried failure replaces the failure).
/// Across inputs, records with the same outcome (``SweepRecord/sameOutcome(as:tolerance:)``)
/// collapse into one (the earliest input's); a success replaces a failure of the same point;
/// two different successes are a conflict, handled by the ``SweepConflictPolicy``.
public struct SweepMerger: Sendable {
    public struct Result: Sendable {
        /// The merged records, by index then id.
        public var records: [SweepRecord]
        /// Records dropped because another input had the same outcome.
        public var duplicates: Int
        /// Failures replaced by a success from another input.
        public var replacedFailures: Int
        /// Conflicting points, described (empty unless the policy is `first` or `last`).
        public var conflicts: [String]
        /// Inputs whose torn last line was ignored: (path, bytes).
        public var tornInputs: [(path: String, bytes: Int)]
    }

    public var policy: SweepConflictPolicy
    /// Relative tolerance when comparing metrics (0: exact).
    public var tolerance: Double

    public init(policy: SweepConflictPolicy = .error, tolerance: Double = 0) {
        self.policy = policy
        self.tolerance = tolerance
    }

    /// Merges the files at `paths` (read-only; a torn last line is ignored and reported).
    public func merge(paths: [String]) throws -> Result {
        var inputs: [[SweepRecord]] = []
        var torn: [(String, Int)] = []
        for p in paths {
            guard FileManager.default.fileExists(atPath: p) else { throw CrossbarError.file(path: p, reason: "no such results file") }
            let (records, tornBytes) = try SweepResultsFile.read(p)
            if tornBytes > 0 { torn.append((p, tornBytes)) }
            inputs.append(SweepRecord.latest(records))
        }
        var result = try merge(inputs)
        result.tornInputs = torn
        return result
    }

    /// Merges record lists (each already reduced to its latest record per id).
    public func merge(_ inputs: [[SweepRecord]]) throws -> Result {
        var chosen: [String: SweepRecord] = [:]
        var duplicates = 0, replaced = 0
        var conflicts: [String] = []
        for records in inputs {
            for r in records {
                guard let kept = chosen[r.id] else { chosen[r.id] = r; continue }
                if kept.sameOutcome(as: r, tolerance: tolerance) {
                    duplicates += 1
                } else if kept.status.isFailure && r.status == .ok {
                    chosen[r.id] = r
                    replaced += 1
                } else if kept.status == .ok && r.status.isFailure {
                    replaced += 1
                } else {
                    let why = kept.point != r.point ? ["different run documents under one id"] : kept.metricDifferences(from: r, tolerance: tolerance)
                    conflicts.append("point \(r.id) (index \(r.index)): " + why.joined(separator: "; "))
                    if policy == .last { chosen[r.id] = r }
                }
            }
        }
        if policy == .error && !conflicts.isEmpty {
            let shown = conflicts.prefix(10).joined(separator: "\n  ")
            let more = conflicts.count > 10 ? "\n  … and \(conflicts.count - 10) more" : ""
            throw CrossbarError.message("\(conflicts.count) point(s) have conflicting results in the inputs (use --on-conflict first|last to pick one):\n  \(shown)\(more)")
        }
        let records = chosen.values.sorted { ($0.index, $0.id) < ($1.index, $1.id) }
        return Result(records: records, duplicates: duplicates, replacedFailures: replaced, conflicts: conflicts, tornInputs: [])
    }

    /// Writes records as a results file, atomically.
    public static func write(_ records: [SweepRecord], to path: String) throws {
        var text = ""
        for r in records { text += r.line }
        try AtomicFile.write(text, to: path)
    }
}
