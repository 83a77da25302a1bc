import Foundation
import Testing
import CrossbarKit

/// The documented ranges of numeric configuration fields (ParameterRange, docs/parameters.md).
@Suite struct ParameterRangeTests {
    @Test func intervalMembershipAndNotation() throws {
        let closed = ParameterRange(0, 10, unit: "u")
        #expect(closed.contains(0) && closed.contains(10) && closed.contains(5))
        #expect(!closed.contains(-1e-6) && !closed.contains(10.001))
        #expect(!closed.contains(.nan) && !closed.contains(.infinity) && !closed.contains(-.infinity))
        let halfOpen = ParameterRange(0, 1, lowerOpen: true, unit: "u")
        #expect(!halfOpen.contains(0) && halfOpen.contains(1) && halfOpen.contains(.leastNonzeroMagnitude))
        #expect(closed.description == "[0, 10]")
        #expect(halfOpen.description == "(0, 1]")
        #expect(ParameterRange.resolution.description == "[-1, 16777216]")
        do {
            try closed.check(1e30, "w_max")
            Issue.record("1e30 accepted in [0, 10]")
        } catch let CrossbarError.invalidParameter(field, value, allowed) {
            #expect(field == "w_max" && value == "1e+30" && allowed == "[0, 10] (u)")
        }
    }

    /// Every model's default values and every preset lie inside the documented ranges: the
    /// ranges refuse typos, never a configuration the toolkit itself ships.
    @Test func defaultsAndPresetsAreInsideTheRanges() throws {
        for model in DeviceModel.allCases {
            let d = DeviceConfig(model: model)
            for f in DeviceConfig.fields(for: model) { try f.checkRange(of: d) }
            try d.validate()
        }
        for name in DevicePresets.names {
            let d = try DevicePresets.device(name)
            for f in DeviceConfig.fields(for: d.model) { try f.checkRange(of: d) }
        }
        for io in [IOParameters(), .preset, .presetTransfer, .standard, .perfect] {
            for f in IOParameters.fields { try f.checkRange(of: io) }
        }
        for f in UpdateParameters.fields { try f.checkRange(of: UpdateParameters()) }
        for name in ConfigurationPresets.names { _ = try ConfigurationPresets.configuration(name) }
    }

    /// Every ranged field of the table is really enforced when decoding: a value just outside
    /// the range (or far outside, for an unbounded-looking typo) is refused naming the field.
    @Test func everyTabulatedDeviceRangeIsEnforced() throws {
        var checked = 0
        for model in DeviceModel.allCases {
            for f in DeviceConfig.fields(for: model) {
                guard let r = f.range else { continue }
                let outside = r.upper + max(1, abs(r.upper))
                let isArray = f.name.hasPrefix("piecewise_")
                let value = isArray ? "[\(outside), \(outside)]" : "\(outside)"
                let extra = isArray ? (f.name == "piecewise_up" ? #", "piecewise_down": [1, 1]"# : #", "piecewise_up": [1, 1]"#) : ""
                let json = #"{"type": "\#(model.rawValue)", "\#(f.name)": \#(value)\#(extra)}"#
                do {
                    _ = try JSONCoding.decode(DeviceConfig.self, from: Data(json.utf8)).validate()
                    Issue.record("\(json) was accepted")
                } catch let e as CrossbarError {
                    #expect(e.description.contains(f.name), "\(json): \(e)")
                    #expect(e.description.contains(r.description), "\(json): \(e)")
                }
                checked += 1
            }
        }
        #expect(checked > 100, "only \(checked) ranged device fields")
    }

    /// docs/parameters.md holds the table `crossbar configs ranges` prints; regenerate it with
    /// `crossbar configs ranges` when a range changes.
    @Test func documentedTableMatchesTheCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/parameters.md"), encoding: .utf8)
        let begin = "<!-- BEGIN GENERATED: crossbar configs ranges -->\n"
        let end = "<!-- END GENERATED -->"
        guard let a = doc.range(of: begin), let b = doc.range(of: end, range: a.upperBound..<doc.endIndex) else {
            Issue.record("docs/parameters.md lacks the generated-table markers")
            return
        }
        let table = String(doc[a.upperBound..<b.lowerBound])
        #expect(table == ParameterRangeTable.markdown, "docs/parameters.md is stale: run `crossbar configs ranges`")
    }
}
