import ArgumentParser
import CrossbarKit
import Foundation

/// Runs the standard comparison (``StandardComparison``): weight-programming error over
/// reference offset × number of states for SGD, TTv2, c-TTv2 and AGAD, and fc test accuracy on
/// Fashion-MNIST over the reference offset for fp, TTv2, c-TTv2 and AGAD; writes the results,
/// reports, plots and a summary with the paper's claims to `--out` (default docs/results/MODE).
/// Resumable: run it again after a kill and it continues where it stopped.
@main
struct StandardComparisonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "StandardComparison",
        abstract: "The standard comparison of SGD, TTv2, c-TTv2 and AGAD across reference offsets (Rasch et al. 2023, Fig. 4 and §5.3)."
    )

    @Flag(help: "Quick mode (minutes, the default) or full mode (hours).")
    var mode: StandardComparison.Mode = .quick

    @Option(help: "Output directory (default docs/results/quick or docs/results/full).")
    var out: String?

    @Option(help: "Points run at once (threads).")
    var jobs = 2

    @Option(help: "Training data: fashion-mnist, synthetic, or a folder of MNIST-format files.")
    var data = TrainingTask.fashionMNIST

    @Flag(help: "Run only the weight-programming sweep.")
    var skipTraining = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs: \(jobs) is outside the allowed range 1…64") }
    }

    func run() throws {
        let comparison = StandardComparison(mode: mode, data: data)
        let layout = StandardComparison.Layout(directory: out ?? "docs/results/\(mode.rawValue)")
        let start = Date()
        do {
            try comparison.run(into: layout, jobs: jobs, skipTraining: skipTraining) { line in
                FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
            }
        } catch let e as CrossbarError {
            FileHandle.standardError.write("error: \(e.description)\n".data(using: .utf8)!)
            throw ExitCode.failure
        }
        print("standard comparison (\(mode.rawValue)) written to \(layout.directory) in \(String(format: "%.0f", Date().timeIntervalSince(start))) s; summary: \(layout.summary)")
    }
}

extension StandardComparison.Mode: @retroactive EnumerableFlag {}
