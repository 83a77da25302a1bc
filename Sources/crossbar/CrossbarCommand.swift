import ArgumentParser
import CrossbarKit
import Foundation

@main
struct Crossbar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossbar",
        abstract: "Simulate training neural networks on analog resistive crossbar arrays.",
        version: CrossbarKit.version,
        subcommands: [Demo.self, TrainCommand.self, TrainReportCommand.self, ProgramCommand.self, Sweep.self]
    )
}
