import Foundation
import CrossbarFoundation

/// One line of a results file: the outcome of one point. Written as canonical JSON (sorted
/// keys) on a single line; docs/sweeps.md lists every field.
public struct SweepRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok
        /// The task threw (an invalid value, a missing file, …); `error` says why.
        case failed
        /// The run diverged (non-finite or exploding loss or weights); `error` says where. A
        /// result of the point, not a fault of the run: deterministic, so never retried.
        case diverged

        /// The task threw: re-run by `--retry-failed`, and makes `sweep run` exit non-zero.
        public var isFailure: Bool { self == .failed }
    }

    /// The point id (16 hex digits, see ``SweepPoint/id``).
    public var id: String
    /// The point's position in expansion order.
    public var index: Int
    /// What the report needs to know about the sweep: `{"name", "metrics", "report"}`.
    public var sweep: JSONValue
    /// The task name.
    public var task: String
    /// The swept values of the point, in axis order.
    public var axes: [SweepAssignment]
    /// The resolved run document.
    public var point: JSONValue
    /// The document's `seed` (null if it has none).
    public var seed: JSONValue
    public var status: Status
    /// Metric values (empty when the run failed).
    public var metrics: [String: Double]
    /// The task's extra output (null if none).
    public var extra: JSONValue
    /// The error message of a failed run.
    public var error: String?
    /// Wall time of the run in seconds.
    public var seconds: Double
    /// `CrossbarVersion.current` of the program that ran the point.
    public var version: String
    /// Host name of the machine that ran it.
    public var host: String
    /// The shard (`I/N`) of the run that produced the record.
    public var shard: String
    /// When the run finished (ISO 8601, UTC).
    public var finished: String

    public init(id: String, index: Int, sweep: JSONValue, task: String, axes: [SweepAssignment], point: JSONValue, seed: JSONValue,
                status: Status, metrics: [String: Double], extra: JSONValue, error: String?, seconds: Double, version: String,
                host: String, shard: String, finished: String)
    {
        self.id = id
        self.index = index
        self.sweep = sweep
        self.task = task
        self.axes = axes
        self.point = point
        self.seed = seed
        self.status = status
        self.metrics = metrics
        self.extra = extra
        self.error = error
        self.seconds = seconds
        self.version = version
        self.host = host
        self.shard = shard
        self.finished = finished
    }

    /// The record as a JSON object.
    public var json: JSONValue {
        .object([
            "id": .string(id),
            "index": .number(Double(index)),
            "sweep": sweep,
            "task": .string(task),
            "axes": .array(axes.map { .object(["path": .string($0.path), "value": $0.value]) }),
            "point": point,
            "seed": seed,
            "status": .string(status.rawValue),
            "metrics": .object(metrics.mapValues { .number($0) }),
            "extra": extra,
            "error": error.map { .string($0) } ?? .null,
            "seconds": .number(seconds),
            "version": .string(version),
            "host": .string(host),
            "shard": .string(shard),
            "finished": .string(finished),
        ])
    }

    /// The record as one line of canonical JSON, newline-terminated.
    public var line: String { json.canonicalText + "\n" }

    /// Reads a record from its JSON object; errors say which field is missing or malformed.
    public init(json: JSONValue) throws {
        func field(_ key: String) throws -> JSONValue {
            guard let v = json[key] else { throw CrossbarError.message("missing field '\(key)'") }
            return v
        }
        func string(_ key: String) throws -> String {
            guard let s = try field(key).stringValue else { throw CrossbarError.message("field '\(key)' is not a string") }
            return s
        }
        guard case .object = json else { throw CrossbarError.message("not a JSON object") }
        id = try string("id")
        guard let i = try field("index").intValue, i >= 0 else { throw CrossbarError.message("field 'index' is not a non-negative integer") }
        index = i
        sweep = json["sweep"] ?? .null
        task = try string("task")
        guard let axisList = try field("axes").arrayValue else { throw CrossbarError.message("field 'axes' is not an array") }
        axes = try axisList.map { a in
            guard let path = a["path"]?.stringValue, let value = a["value"] else { throw CrossbarError.message("field 'axes' holds an entry without path/value") }
            return SweepAssignment(path: path, value: value)
        }
        point = try field("point")
        seed = json["seed"] ?? .null
        guard let st = Status(rawValue: try string("status")) else { throw CrossbarError.message("field 'status' is neither 'ok' nor 'failed'") }
        status = st
        guard let m = try field("metrics").objectValue else { throw CrossbarError.message("field 'metrics' is not an object") }
        var metrics: [String: Double] = [:]
        for (k, v) in m {
            switch v {
            case let .number(d): metrics[k] = d
            case .string("nan"): metrics[k] = .nan
            case .string("inf"): metrics[k] = .infinity
            case .string("-inf"): metrics[k] = -.infinity
            default: throw CrossbarError.message("metric '\(k)' is not a number")
            }
        }
        self.metrics = metrics
        extra = json["extra"] ?? .null
        error = json["error"]?.stringValue
        seconds = json["seconds"]?.doubleValue ?? 0
        version = json["version"]?.stringValue ?? ""
        host = json["host"]?.stringValue ?? ""
        shard = json["shard"]?.stringValue ?? ""
        finished = json["finished"]?.stringValue ?? ""
    }

    /// Whether two records of the same point report the same outcome: same id, document and
    /// status, and (for successful runs) the same metric names with values equal within a relative
    /// `tolerance` (0: bit-identical; NaN equals NaN). Timing, host, shard and version are ignored.
    public func sameOutcome(as other: SweepRecord, tolerance: Double = 0) -> Bool {
        guard id == other.id, point == other.point, status == other.status else { return false }
        if status != .ok { return true }
        return metricDifferences(from: other, tolerance: tolerance).isEmpty
    }

    /// Human-readable differences between the metrics of two records (empty when they agree).
    public func metricDifferences(from other: SweepRecord, tolerance: Double = 0) -> [String] {
        var out: [String] = []
        for k in Set(metrics.keys).union(other.metrics.keys).sorted() {
            guard let a = metrics[k] else { out.append("metric '\(k)' only in the second record"); continue }
            guard let b = other.metrics[k] else { out.append("metric '\(k)' only in the first record"); continue }
            if a.isNaN && b.isNaN { continue }
            if a == b { continue }
            if tolerance > 0, a.isFinite, b.isFinite, abs(a - b) <= tolerance * max(abs(a), abs(b)) { continue }
            out.append("metric '\(k)': \(JSONValue.numberText(a)) vs \(JSONValue.numberText(b))")
        }
        return out
    }

    /// The latest record of each id (later records replace earlier ones, e.g. a retried failure),
    /// ordered by index, then id.
    public static func latest(_ records: [SweepRecord]) -> [SweepRecord] {
        var byID: [String: SweepRecord] = [:]
        for r in records { byID[r.id] = r }
        return byID.values.sorted { ($0.index, $0.id) < ($1.index, $1.id) }
    }
}
