import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar devices`: the preset devices of docs/devices.md, "Presets" (list, or `show NAME` for the JSON).
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the preset devices, or print one device's full resolved JSON.",
        discussion: """
            `crossbar devices` lists the presets (name, model, dw_min, n_states = (w_max − w_min)/ε, \
            what each was fitted to). `crossbar devices show NAME|FILE.json` prints the complete JSON \
            of a preset or a device file with every field resolved to its value (it decodes back unchanged; \
            edit it and pass it to --device of other commands). docs/devices.md explains every field.
            """,
        subcommands: [DevicesListCommand.self, DevicesShowCommand.self],
        defaultSubcommand: DevicesListCommand.self
    )
}

/// `crossbar devices list` (the default of `crossbar devices`).
struct DevicesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the preset devices.")

    func run() throws {
        try reportingErrors {
            var rows: [[String]] = [["name", "model", "dw_min", "n_states", "description"]]
            for name in DevicePresets.names {
                let d = try DevicePresets.device(name)
                rows.append([name, d.model.rawValue, String(format: "%.6g", Double(d.dwMin)),
                             String(format: "%.0f", Double(d.numberOfStates)), DevicePresets.descriptions[name] ?? ""])
            }
            let widths = (0..<4).map { c in rows.map { $0[c].count }.max()! }
            for r in rows {
                let padded = (0..<4).map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                print((padded + [r[4]]).joined(separator: "  "))
            }
        }
    }
}
