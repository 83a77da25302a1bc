import CrossbarFoundation
import CrossbarDevices
import CrossbarTile

/// The documented valid ranges of every numeric configuration field that has one, as a
/// markdown table generated from the field lists themselves (so the table cannot drift from
/// what decoding and validation refuse). Printed by `crossbar configs ranges`; docs/parameters.md
/// holds a copy that a test keeps equal to this output.
public enum ParameterRangeTable {
    /// One row: a field of one configuration record, the models it belongs to (devices only),
    /// its range and unit.
    public struct Row: Sendable, Equatable {
        public let record: String
        public let field: String
        public let models: [String]
        public let range: ParameterRange
    }

    /// All rows: device fields (grouped over the models that share name and range), then IO
    /// (`forward`/`backward`), then the update's pulse-train settings.
    public static var rows: [Row] {
        var device: [Row] = []
        for model in DeviceModel.allCases {
            for f in DeviceConfig.fields(for: model) {
                guard let range = f.range else { continue }
                if let k = device.firstIndex(where: { $0.field == f.name && $0.range == range }) {
                    let r = device[k]
                    device[k] = Row(record: r.record, field: r.field, models: r.models + [model.rawValue], range: range)
                } else {
                    device.append(Row(record: "device", field: f.name, models: [model.rawValue], range: range))
                }
            }
        }
        let io = IOParameters.fields.compactMap { f in f.range.map { Row(record: "forward / backward", field: f.name, models: [], range: $0) } }
        let update = UpdateParameters.fields.compactMap { f in f.range.map { Row(record: "update", field: f.name, models: [], range: $0) } }
        return device + io + update
    }

    /// The markdown table (header, separator and one line per row; newline-terminated).
    public static var markdown: String {
        let all = DeviceModel.allCases.map(\.rawValue)
        let pulsed = DeviceModel.allCases.filter { $0 != .floatingPoint && $0 != .ideal }.map(\.rawValue)
        var s = "| record | field | models | allowed range | unit |\n|---|---|---|---|---|\n"
        for r in rows {
            let models = r.models.isEmpty ? "–" : (r.models == all ? "all" : r.models == pulsed ? "all pulsed" : r.models.joined(separator: ", "))
            s += "| \(r.record) | `\(r.field)` | \(models) | \(r.range) | \(r.range.unit.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return s
    }
}
