import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar sweep`: declarative sweeps of device non-idealities (see docs/sweeps.md).
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run, merge, compare and report declarative parameter sweeps.",
        discussion: """
            A sweep file (JSON) names a base run document and axes of values; every combination is a \
            point with a stable id. `run` executes the points (or one shard of them) and appends one \
            JSON line per finished point to a results file; running it again resumes. `merge` joins \
            shard results, `report` writes tables and plots, `compare` checks two results files agree. \
            See docs/sweeps.md.
            """,
        subcommands: [SweepRunCommand.self, SweepPlanCommand.self, SweepMergeCommand.self, SweepReportCommand.self, SweepCompareCommand.self]
    )
}

/// Parses `I/N` for `--shard`, as a validation error on bad input.
func parseShardOption(_ text: String?) throws -> SweepShard {
    guard let text else { return .all }
    do {
        return try SweepShard(text)
    } catch let error as CrossbarError {
        throw ValidationError("--shard: \(error.description)")
    }
}
