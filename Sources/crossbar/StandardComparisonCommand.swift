import ArgumentParser
import CrossbarKit
import Foundation

/// Runs the standard comparison (``StandardComparison``): weight-programming error over
/// reference offset × number of states for SGD, TTv2, c-TTv2 and AGAD, and network test
/// accuracy on Fashion-MNIST over the reference offset (fc and, in full mode, LeNet-5, under
/// the ReRamSB presets and the paper-like build_config device; in full mode also the LSTM
/// character model's test loss on the fortunes corpus under the paper's LSTM setting); writes the results, reports,
/// plots and a summary that decides the paper's claims to `--out` (default
/// docs/results/MODE). Resumable: run it again after a kill and it continues where it stopped,
/// a training point from its last completed epoch.
struct StandardComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standard-comparison",
        abstract: "The standard comparison of SGD, TTv2, c-TTv2 and AGAD across reference offsets (Rasch et al. 2023, Fig. 4 and the network claim).",
        discussion: """
            Runs its sweeps resumably (a training point resumes from its last completed epoch), then writes the \
            reports and README.md, which decides the paper's claims from the results. --parts selects parts \
            (program, and the network parts --list-parts shows); the summary covers every part with results. \
            docs/sweeps.md, "The standard comparison".
            """
    )

    @Flag(help: "Quick mode (minutes, the default) or full mode (hours).")
    var mode: StandardComparison.Mode = .quick

    @Option(help: "Output directory (default docs/results/quick or docs/results/full).")
    var out: String?

    @Option(help: "Points run at once (threads).")
    var jobs = 2

    @Option(help: "Training data of the image parts: fashion-mnist, synthetic, or a folder of MNIST-format files (the lstm part of full mode always reads the fortunes corpus).")
    var data = TrainingTask.fashionMNIST

    @Option(help: "Comma-separated parts to run: program and/or network parts (fc-presets, fc-build-config, lenet5-presets, lenet5-build-config, lstm-build-config in full mode); default all. The summary covers every part that has results.")
    var parts: String?

    @Flag(help: "List the parts of the mode with their number of points and exit.")
    var listParts = false

    @Flag(help: "Write the sweep files of the selected parts to --out and exit (run them with `crossbar sweep run`, or without --write-sweeps).")
    var writeSweeps = false

    @Flag(help: "Run nothing: write the reports and README.md from the results already in --out (partial results of a long run included).")
    var reportOnly = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs: \(jobs) is outside the allowed range 1…64") }
        if reportOnly && (writeSweeps || parts != nil) {
            throw ValidationError("--report-only runs no part: it cannot be combined with --parts or --write-sweeps")
        }
    }

    func selectedParts(_ comparison: StandardComparison) throws -> Set<StandardComparison.Part>? {
        guard let parts else { return nil }
        let known = ["program"] + comparison.networks.map(\.name)
        var out: Set<StandardComparison.Part> = []
        for p in parts.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard known.contains(p) else {
                throw CrossbarError.invalidParameter(field: "--parts", value: p, allowed: known.joined(separator: ", "))
            }
            out.insert(p == "program" ? .program : .network(p))
        }
        return out
    }

    func run() throws {
        try reportingErrors { try runComparison() }
    }

    /// Every folder the command reads and writes: the data folder of the network parts (and
    /// the fortunes folder when a part reads the fortunes corpus), the output folder (resumed:
    /// its own results are read back).
    func files(_ comparison: StandardComparison, _ layout: StandardComparison.Layout) -> OutputGuard {
        var files = OutputGuard()
        files.readsFolder("--data", TrainingTask.dataFolder(data))
        if comparison.networks.contains(where: { $0.data == TrainingTask.fortunesData }) {
            files.readsFolder("the fortunes corpus of the lstm part", CharacterCorpus.fortunesFolder)
        }
        files.writesFolder(out == nil ? "the output folder (default of --out)" : "--out", layout.directory, entries: comparison.folderEntries)
        return files
    }

    func runComparison() throws {
        let comparison = StandardComparison(mode: mode, data: data)
        let layout = StandardComparison.Layout(directory: out ?? "docs/results/\(mode.rawValue)")
        if listParts {
            print("program: \(try SweepPlan(spec: comparison.programSpec, registry: .standard).points.count) points")
            for n in comparison.networks {
                print("\(n.name): \(try SweepPlan(spec: comparison.networkSpec(n), registry: .standard).points.count) points")
            }
            return
        }
        try files(comparison, layout).check()
        if writeSweeps {
            let selected = try selectedParts(comparison)
            try FileManager.default.createDirectory(atPath: layout.directory, withIntermediateDirectories: true)
            if selected?.contains(.program) ?? true {
                try AtomicFile.write(comparison.programSpec.toJSON() + "\n", to: layout.programSpec)
                print(layout.programSpec)
            }
            for n in comparison.networks where selected?.contains(.network(n.name)) ?? true {
                try AtomicFile.write(comparison.networkSpec(n).toJSON() + "\n", to: layout.networkSpec(n.name))
                print(layout.networkSpec(n.name))
            }
            return
        }
        let start = Date()
        try comparison.run(into: layout, jobs: jobs, parts: reportOnly ? [] : try selectedParts(comparison)) { line in printError(line) }
        print("standard comparison (\(mode.rawValue)) written to \(layout.directory) in \(String(format: "%.0f", Date().timeIntervalSince(start))) s; summary: \(layout.summary)")
    }
}

extension StandardComparison.Mode: EnumerableFlag {}
