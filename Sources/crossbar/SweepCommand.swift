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

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`; a ``CrossbarError`` is printed on standard error and turns into exit status 1.
func reportingSweepErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as CrossbarError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    }
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
