import Foundation
import CrossbarFoundation

/// A measured (or simulated) pulse-response trace of one device: a sequence of rows
/// (pulse number, direction, conductance read after that pulse) — the input of
/// ``DeviceFit`` and `crossbar fit`.
///
/// CSV format (docs/devices.md, "Fitting a device"): three comma-separated columns
///
///     pulse,direction,conductance
///     0,none,0.0012
///     1,up,0.0113
///     2,up,0.0209
///     …
///
/// - `pulse`: an integer, strictly increasing (used for plotting only);
/// - `direction`: `up`, `down` or `none` (also `+1`/`+`, `-1`/`-`, `0`; case-insensitive);
///   the direction of the pulse applied *before* the conductance of this row was read;
/// - `conductance`: a finite number, in any unit (the fit works in that unit, or maps it to
///   [−1, 1] with `normalize`).
///
/// The first row is the starting state (its direction is ignored). A header line is accepted
/// (a first row whose third field is not a number); blank lines and lines starting with `#` are
/// skipped; whitespace around fields is ignored.
public struct PulseTrace: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case up, down, none
    }

    public var pulses: [Int]
    public var directions: [Direction]
    public var values: [Double]

    public init(pulses: [Int], directions: [Direction], values: [Double]) {
        precondition(pulses.count == directions.count && pulses.count == values.count)
        self.pulses = pulses
        self.directions = directions
        self.values = values
    }

    public var count: Int { values.count }

    /// Parses CSV text; errors name `source` (the file) and the line.
    public static func parse(csv text: String, source: String) throws -> PulseTrace {
        var pulses: [Int] = [], dirs: [Direction] = [], values: [Double] = []
        var lineNumber = 0
        var sawData = false
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ reason: String) -> CrossbarError {
                CrossbarError.file(path: "\(source):\(lineNumber)", reason: reason)
            }
            if !sawData && fields.count == 3 && Double(fields[2]) == nil {
                sawData = true // header
                continue
            }
            sawData = true
            guard fields.count == 3 else {
                throw fail("expected 3 comma-separated fields (pulse,direction,conductance), found \(fields.count)")
            }
            guard let p = Int(fields[0]) else { throw fail("pulse '\(fields[0])' is not an integer") }
            if let last = pulses.last, p <= last {
                throw fail("pulse \(p) does not increase (previous row: \(last))")
            }
            guard let d = direction(fields[1]) else {
                throw fail("direction '\(fields[1])' is not one of up, down, none (+1, -1, 0)")
            }
            guard let v = Double(fields[2]), v.isFinite else {
                throw fail("conductance '\(fields[2])' is not a finite number")
            }
            pulses.append(p)
            dirs.append(d)
            values.append(v)
        }
        guard values.count >= 2 else {
            throw CrossbarError.file(path: source, reason: "holds \(values.count) data rows (need a starting row and at least one pulse)")
        }
        return PulseTrace(pulses: pulses, directions: dirs, values: values)
    }

    /// Reads and parses a CSV file.
    public static func load(path: String) throws -> PulseTrace {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CrossbarError.file(path: path, reason: "cannot be read (missing or not a file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CrossbarError.file(path: path, reason: "is not UTF-8 text")
        }
        return try parse(csv: text, source: path)
    }

    static func direction(_ s: String) -> Direction? {
        switch s.lowercased() {
        case "up", "+1", "+", "1": .up
        case "down", "-1", "-": .down
        case "none", "0", "": Direction.none
        default: nil
        }
    }

    /// The CSV text of the trace (with header).
    public func csv() -> String {
        var out = "pulse,direction,conductance\n"
        for k in 0..<count { out += "\(pulses[k]),\(directions[k].rawValue),\(String(format: "%.9g", values[k]))\n" }
        return out
    }

    /// The trace with every value mapped to (v − center)/scale.
    public func mapped(center: Double, scale: Double) -> PulseTrace {
        PulseTrace(pulses: pulses, directions: directions, values: values.map { ($0 - center) / scale })
    }
}
