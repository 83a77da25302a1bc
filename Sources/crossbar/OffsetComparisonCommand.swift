import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar offset-comparison`: the main job (scripts/demo.sh) — which in-memory training
/// algorithm survives a reference offset, in a few minutes (``OffsetShowcase``).
struct OffsetComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offset-comparison",
        abstract: "In-memory SGD, TTv2, c-TTv2 and AGAD across reference offsets, side by side (a few minutes).",
        discussion: """
            Runs the paper's weight-programming task over σ_r (seconds) and a short fc run at σ_r = 0 and 0.5, \\
            then prints one table per part, the converged network results of the committed full comparison \\
            (--full-results) and one verdict line per algorithm, and the paths of the SVG figures. Resumable: \\
            the results live in --out.
            """
    )

    @Option(help: "Folder for results, reports and figures (default: a new temporary folder).") var out: String?
    @Option(help: "Epochs of the short network run (≥ 1).") var epochs: Int = 4
    @Option(help: "Training images of the short network run (0: all 60 000).") var trainSamples: Int = 0
    @Option(help: "Points run at once (threads).") var jobs: Int = 2
    @Option(help: "Folder of the full comparison's results (its fc parts are shown; skipped when missing).")
    var fullResults: String = "docs/results/full"
    @Option(help: "Training data: fashion-mnist or a folder of MNIST-format files.") var data = TrainingTask.fashionMNIST

    func validate() throws {
        guard epochs >= 1 && epochs <= 1000 else { throw ValidationError("--epochs \(epochs) is out of range (allowed: 1…1000)") }
        guard trainSamples >= 0 else { throw ValidationError("--train-samples \(trainSamples) is out of range (allowed: ≥ 0)") }
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs \(jobs) is out of range (allowed: 1…64)") }
    }

    /// Every folder the command reads and writes: the full comparison's results and the data
    /// folder it reads; the output folder (resumed: its own results are read back).
    func files(directory: String) -> OutputGuard {
        var files = OutputGuard()
        files.readsFolder("--full-results", FileManager.default.fileExists(atPath: fullResults) ? fullResults : nil)
        files.readsFolder("--data", TrainingTask.dataFolder(data))
        files.writesFolder(out == nil ? "the output folder (default of --out)" : "--out", directory, entries: OffsetShowcase.folderEntries)
        return files
    }

    func run() throws {
        try reportingErrors {
            let directory = out ?? FileManager.default.temporaryDirectory.appendingPathComponent("crossbar-offsets-\(UUID().uuidString)").path
            try files(directory: directory).check()
            let showcase = OffsetShowcase(epochs: epochs, trainSamples: trainSamples, data: data,
                                          fullResults: FileManager.default.fileExists(atPath: fullResults) ? fullResults : nil)
            let start = Date()
            let outcome = try showcase.run(into: directory, jobs: jobs) { printError($0) }
            print(outcome.text)
            print("Figures:")
            for (path, caption) in outcome.figures { print("  \(path)\n      \(caption)") }
            print("Results and reports: \(directory) (\(String(format: "%.0f", Date().timeIntervalSince(start))) s)")
        }
    }
}
