import Foundation
import CrossbarFoundation

extension SweepReport {
    /// The Markdown report: a summary line, the table, the figures and the failed points.
    public func markdown(figures: [String]) -> String {
        let ok = records.filter { $0.status == .ok }.count
        var s = "# Sweep report: \(name.isEmpty ? "(unnamed)" : name)\n\n"
        s += "\(records.count) points: \(ok) ok, \(records.count - ok) failed."
        if let seedAxis {
            s += " Metrics are the mean ± sample standard deviation (n − 1) over the values of `\(seedAxis)`; n counts the successful runs."
        }
        s += "\n\n" + markdownTable
        if !figures.isEmpty {
            s += "\n## Figures\n\n"
            for f in figures { s += "![\(f)](\(f))\n\n" }
        }
        let failed = failedRecords
        if !failed.isEmpty {
            s += "\n## Failed points\n\n"
            for r in failed {
                let label = r.axes.map { "\($0.path)=\($0.value.shortDescription)" }.joined(separator: ", ")
                s += "- point \(r.index) (`\(r.id)`, \(label)): \(Self.markdownCell(r.error ?? "unknown error"))\n"
            }
        }
        return s
    }

    /// The entries ``write(to:)`` writes into its folder: `report.md`, `report.csv` and SVG
    /// figures (for ``OutputGuard``).
    public static let folderEntries = OutputGuard.FolderEntries("report.md, report.csv and *.svg") {
        $0 == "report.md" || $0 == "report.csv" || $0.hasSuffix(".svg")
    }

    /// Writes `report.md`, `report.csv` and the SVG figures into `directory` (created if needed),
    /// each file atomically; returns the paths written.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CrossbarError.file(path: directory, reason: "cannot create the report directory: \(error.localizedDescription)")
        }
        var written: [String] = []
        var figureFiles: [String] = []
        for (file, figure) in lineFigures() {
            try figure.write(to: directory + "/" + file)
            figureFiles.append(file)
        }
        if let (file, figure) = heatMapFigure() {
            try figure.write(to: directory + "/" + file)
            figureFiles.append(file)
        }
        try AtomicFile.write(csvTable, to: directory + "/report.csv")
        try AtomicFile.write(markdown(figures: figureFiles), to: directory + "/report.md")
        written += figureFiles.map { directory + "/" + $0 }
        written += [directory + "/report.csv", directory + "/report.md"]
        return written
    }
}
