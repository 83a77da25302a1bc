import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar sweep run SPEC.json --out RESULTS.jsonl [--shard I/N] [--jobs K]`.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the points of a sweep (or of one shard), appending one JSON line per finished point.",
        discussion: """
            Resumable: points that already have a record in the results file are skipped (a torn last \
            line left by a killed run is removed first). Failed points are recorded and not re-run \
            unless --retry-failed. Exit status: 0 when every point of the shard succeeded, 2 when any \
            failed (their errors are in the results), 1 when the sweep could not run (bad sweep file, \
            I/O error), 64 for bad options.
            """
    )

    @Argument(help: "The sweep file (JSON).") var spec: String
    @Option(name: .long, help: "The results file (JSON lines); created or resumed.") var out: String
    @Option(help: "Run only shard I of N (0 ≤ I < N): the points whose index mod N is I.") var shard: String?
    @Option(help: "Points to run at once (threads).") var jobs: Int = 1
    @Flag(help: "Re-run points whose latest record is a failure.") var retryFailed = false
    @Option(help: ArgumentHelp(
        "Start pending points in this order: comma-separated axis paths, slowest first (e.g. seed,device.reference_std); ties by index.",
        discussion: "Only the order of execution changes: indices, shards, ids and the records are those of the sweep file."))
    var runOrder: String?
    @Flag(help: "Print only the summary, not a line per point.") var quiet = false

    func validate() throws {
        _ = try parseShardOption(shard)
        guard jobs >= 1 && jobs <= 1024 else {
            throw ValidationError("--jobs \(jobs) is out of range (allowed: 1…1024)")
        }
        guard !out.isEmpty else { throw ValidationError("--out must name a file") }
    }

    /// Every file and folder the command reads and writes: the sweep file and the data folders
    /// its training points read; the results file (appended to: an existing one is resumed)
    /// and the points' work folder beside it.
    func files(_ plan: SweepPlan) -> OutputGuard {
        var files = OutputGuard()
        files.readsFile("<spec>", spec)
        var folders: [String] = []
        for p in plan.points where p.taskName == TrainingTask.taskName {
            let data = p.document["data"]?.stringValue ?? TrainingTask.fashionMNIST
            if let folder = TrainingTask.dataFolder(data), !folders.contains(folder) {
                folders.append(folder)
                files.readsFolder("'data' of point #\(p.index)", folder)
            }
        }
        files.appendsTo("--out", out)
        files.writesFolder("the work folder of --out", SweepRunner.workRoot(resultsPath: out), entries: .anything)
        return files
    }

    func run() throws {
        try reportingErrors {
            let sweep = try SweepSpec.load(path: spec)
            let runner = try SweepRunner(spec: sweep, registry: .standard)
            try files(runner.plan).check()
            let quiet = self.quiet
            let order = runOrder.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
            let options = SweepRunOptions(shard: try parseShardOption(shard), jobs: jobs, retryFailed: retryFailed, runOrder: order) { p in
                guard !quiet else { return }
                let left = p.remaining.map { ", point ETA \(SweepProgress.durationText($0))" } ?? ""
                printError("    #\(p.point.index) \(p.point.id): \(p.message) (\(String(format: "%.0f", 100 * p.fraction)) %\(left))")
            }
            let width = String(runner.plan.points.count).count
            let summary = try runner.run(resultsPath: out, options: options) { p in
                guard !quiet else { return }
                let r = p.record
                let count = String(p.finished).leftPadded(to: String(p.total).count)
                let status = switch r.status { case .ok: "ok      "; case .failed: "FAILED  "; case .diverged: "DIVERGED" }
                var line = "[\(count)/\(p.total)] \(status) #\(String(r.index).leftPadded(to: width)) \(r.id)  "
                line += r.axes.map { "\($0.path)=\($0.value.shortDescription)" }.joined(separator: " ")
                line += String(format: "  %.2f s", r.seconds)
                if let left = p.remaining, p.finished < p.total { line += ", sweep ETA \(SweepProgress.durationText(left))" }
                if let e = r.error { line += "\n    \(e)" }
                printError(line)
            }
            var text = "sweep '\(sweep.name)' shard \(options.shard): \(summary.points) points, \(summary.skipped) already done, \(summary.ran) run now"
            text += ", \(summary.failedNow) failed now; \(summary.failedIDs.count) failed in total"
            if !summary.divergedIDs.isEmpty { text += ", \(summary.divergedIDs.count) diverged (a result: see the report)" }
            text += " → \(out)"
            if summary.repairedBytes > 0 { text += "\nremoved a torn last line (\(summary.repairedBytes) bytes) left by an interrupted run" }
            if summary.foreignRecords > 0 { text += "\nnote: \(summary.foreignRecords) record(s) in \(out) are not points of this sweep (kept)" }
            if !summary.failedIDs.isEmpty && !retryFailed { text += "\nre-run failed points with --retry-failed" }
            printError(text)
            if !summary.succeeded { throw ExitCode(2) }
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
