import ArgumentParser
import CrossbarKit
import Foundation

@main
struct Crossbar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossbar",
        abstract: "Simulate training neural networks on analog resistive crossbar arrays.",
        version: CrossbarVersion.current,
        subcommands: [Demo.self, DevicesCommand.self, ConfigsCommand.self, ResponseCommand.self, FitCommand.self,
                      ToyCommand.self, ProgramCommand.self, TrainCommand.self, TrainReportCommand.self, Sweep.self,
                      StandardComparisonCommand.self, OffsetComparisonCommand.self]
    )
}
