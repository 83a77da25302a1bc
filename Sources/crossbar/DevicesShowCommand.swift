import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar devices show NAME|FILE.json`: the full resolved JSON of a device.
struct DevicesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a device's full resolved JSON (a preset name or a device JSON file)."
    )

    @Argument(help: "A preset name (see `crossbar devices`) or a device JSON file.") var device: String

    func run() throws {
        try reportingErrors {
            print(try resolveDevice(device).toJSON())
        }
    }
}
