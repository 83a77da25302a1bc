import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar sweep report RESULTS.jsonl [--out DIR] [--metric NAME]`.
struct SweepReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise sweep results: mean ± std over seeds as Markdown and CSV tables, line plots and a heat map.",
        discussion: """
            The report settings stored in the results (from the sweep file's `report`) apply unless \
            --spec gives a sweep file to take them from. The Markdown table is also printed.
            """
    )

    @Argument(help: "The results file (JSON lines).") var results: String
    @Option(name: .long, help: "Directory for report.md, report.csv and the SVG plots (default: RESULTS without .jsonl, plus -report).") var out: String?
    @Option(help: "The metric to plot (default: the sweep's report.metric or first metric).") var metric: String?
    @Option(help: "Take the report settings and metrics from this sweep file.") var spec: String?
    @Option(help: "Report only the points of the sweep with this name (needed when the results hold several sweeps).") var sweep: String?

    func validate() throws {
        if let metric, metric.isEmpty { throw ValidationError("--metric must name a metric") }
    }

    /// The report folder: --out, or RESULTS without .jsonl plus -report.
    var directory: String { out ?? (results.hasSuffix(".jsonl") ? String(results.dropLast(6)) : results) + "-report" }

    /// Every file and folder the command reads and writes.
    func files() -> OutputGuard {
        var files = OutputGuard()
        files.readsFile("<results>", results)
        files.readsFile("--spec", spec)
        files.writesFolder(out == nil ? "the report folder" : "--out", directory, entries: SweepReport.folderEntries)
        return files
    }

    func run() throws {
        try reportingErrors {
            try files().check()
            guard FileManager.default.fileExists(atPath: results) else {
                throw CrossbarError.file(path: results, reason: "no such results file")
            }
            let (records, torn) = try SweepResultsFile.read(results)
            if torn > 0 { printError("note: ignored a torn last line (\(torn) bytes) in \(results)") }
            let specification = try spec.map { try SweepSpec.load(path: $0) }
            let report = try SweepReport(records: records, settings: specification?.report,
                                         metrics: specification.flatMap { $0.metrics.isEmpty ? nil : $0.metrics }, metric: metric,
                                         sweep: sweep)
            let files = try report.write(to: directory)
            print(report.markdownTable, terminator: "")
            printError("wrote \(files.count) files to \(directory): " + files.map { PathText.name(of: $0) }.joined(separator: ", "))
        }
    }
}
