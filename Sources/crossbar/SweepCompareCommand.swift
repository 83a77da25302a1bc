import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar sweep compare A.jsonl B.jsonl`: exit 1 on any difference in ids, statuses or metrics.
struct SweepCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Check that two results files hold the same points with the same outcomes and metrics.",
        discussion: "Exit status 0 when they agree, 1 when they differ (each difference is printed)."
    )

    @Argument(help: "First results file.") var first: String
    @Argument(help: "Second results file.") var second: String
    @Option(help: "Relative tolerance for equal metrics (0: bit-identical).") var tolerance: Double = 0

    func validate() throws {
        guard tolerance >= 0 && tolerance.isFinite else { throw ValidationError("--tolerance \(tolerance) must be a finite number ≥ 0") }
    }

    func run() throws {
        try reportingErrors {
            var sets: [[SweepRecord]] = []
            for path in [first, second] {
                guard FileManager.default.fileExists(atPath: path) else { throw CrossbarError.file(path: path, reason: "no such results file") }
                let (records, torn) = try SweepResultsFile.read(path)
                if torn > 0 { printError("note: ignored a torn last line (\(torn) bytes) in \(path)") }
                sets.append(records)
            }
            let differences = SweepComparison.differences(sets[0], sets[1], tolerance: tolerance)
            if differences.isEmpty {
                print("identical: \(SweepRecord.latest(sets[0]).count) points with the same outcomes and metrics")
                return
            }
            for d in differences { print(d) }
            printError("\(differences.count) difference(s) between \(first) and \(second)")
            throw ExitCode(1)
        }
    }
}
