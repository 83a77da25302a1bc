import Foundation
import CrossbarFoundation

/// A sweep file: a base run document, the axes to vary, how they combine, and how to report.
///
/// ```json
/// {
///   "name": "reference-offset",
///   "base": {"task": "program", "algorithm": "agad", "device": "softbounds", "seed": 1},
///   "axes": [
///     {"path": "algorithm", "values": ["ttv2", "c-ttv2", "agad"]},
///     {"path": "device.reference_std", "values": [0, 0.1, 0.2, 0.5]},
///     {"path": "seed", "values": [1, 2, 3]}
///   ],
///   "mode": "grid",
///   "metrics": ["weight_error"],
///   "report": {"heatmap": ["device.reference_std", "device.num_states"]}
/// }
/// ```
/// Unknown keys are errors. The full format is in docs/sweeps.md.
public struct SweepSpec: ConfigRecord {
    /// A short name (recorded in every result line).
    public var name = ""
    /// Free text for people.
    public var description = ""
    /// The run document every point starts from; must hold `task` unless an axis sets it.
    public var base: JSONValue = .object([:])
    public var axes: [SweepAxis] = []
    public var mode: SweepMode = .grid
    /// Metrics every run must report (a run missing one fails) and the report's table columns;
    /// empty: whatever the task reports.
    public var metrics: [String] = []
    public var report = SweepReportSettings()

    public init() {}

    public static let fields: [ConfigField<SweepSpec>] = [
        ConfigField("name", \.name),
        ConfigField("description", \.description),
        ConfigField("base", \.base),
        ConfigField("axes", \.axes),
        ConfigField("mode", \.mode),
        ConfigField("metrics", \.metrics),
        ConfigField("report", \.report),
    ]

    public func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CrossbarError.invalidParameter(field: "name", value: "'\(name)'", allowed: "a non-empty name")
        }
        guard case .object = base else {
            throw CrossbarError.invalidParameter(field: "base", value: "a \(base.typeName)", allowed: "an object (the run document)")
        }
        var seen = Set<String>()
        for (i, m) in metrics.enumerated() {
            if m.isEmpty { throw CrossbarError.invalidParameter(field: "metrics[\(i)]", value: "''", allowed: "a metric name") }
            if !seen.insert(m).inserted { throw CrossbarError.invalidParameter(field: "metrics[\(i)]", value: "'\(m)' (listed twice)", allowed: "distinct metric names") }
        }
    }

    /// Reads a sweep file; errors name the file (and the key).
    public static func load(path: String) throws -> SweepSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CrossbarError.file(path: path, reason: "cannot read the sweep file")
        }
        do {
            // Parse with JSONValue first: it rejects duplicate keys, which JSONDecoder ignores.
            let json = try JSONValue.parse(data, what: "sweep file")
            return try json.decode(SweepSpec.self, what: "sweep file")
        } catch let e as CrossbarError {
            throw CrossbarError.file(path: path, reason: e.description)
        }
    }

    /// The sweep as canonical JSON (every key, defaults filled in).
    public var json: JSONValue { (try? JSONValue(encoding: self)) ?? .null }
}
