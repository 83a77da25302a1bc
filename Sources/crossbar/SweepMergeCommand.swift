import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar sweep merge A.jsonl B.jsonl … --out ALL.jsonl`.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge results files (e.g. shards) into one: union by point id, sorted by index, written atomically.",
        discussion: """
            Identical duplicates collapse; a success replaces a failure of the same point; different \
            successful results for one point are conflicts: an error by default (nothing is written).
            """
    )

    @Argument(help: "Results files to merge.") var inputs: [String]
    @Option(name: .long, help: "The merged results file (replaced atomically; not one of the inputs).") var out: String
    @Option(help: "On conflicting results: error, first or last (by input order).") var onConflict: SweepConflictPolicy = .error
    @Option(help: "Relative tolerance for equal metrics (0: bit-identical).") var tolerance: Double = 0

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one results file to merge") }
        guard tolerance >= 0 && tolerance.isFinite else { throw ValidationError("--tolerance \(tolerance) must be a finite number ≥ 0") }
    }

    /// Every file the command reads and writes.
    func files() -> OutputGuard {
        var files = OutputGuard()
        for input in inputs { files.readsFile("<inputs>", input) }
        files.writesFile("--out", out)
        return files
    }

    func run() throws {
        try reportingErrors {
            try files().check()
            let merger = SweepMerger(policy: onConflict, tolerance: tolerance)
            let result = try merger.merge(paths: inputs)
            try SweepMerger.write(result.records, to: out)
            for (path, bytes) in result.tornInputs { printError("note: ignored a torn last line (\(bytes) bytes) in \(path)") }
            for c in result.conflicts { printError("conflict (kept the \(onConflict.rawValue) record): \(c)") }
            let failed = result.records.filter { $0.status.isFailure }.count
            let diverged = result.records.filter { $0.status == .diverged }.count
            printError("merged \(inputs.count) file(s): \(result.records.count) points (\(failed) failed, \(diverged) diverged), \(result.duplicates) duplicate(s) collapsed, \(result.replacedFailures) failure(s) superseded → \(out)")
        }
    }
}
