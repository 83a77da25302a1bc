import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar toy`: the paper's single-device illustration (its Fig. 3).
struct ToyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toy",
        abstract: "Trace one element of a 5×5 tile under a constant gradient (the paper's Fig. 3).",
        discussion: """
            Trains a 5×5 tile of soft-bounds reference devices (w ∈ [−1, 1], dw_min 0.05: 40 states) \
            with TTv2, c-TTv2 or AGAD under a constant gradient (x = 1, d = +1: the weight should move \
            DOWN) and traces element (0,0): A, the buffer H, the weight, AGAD's p and p_ref, and the \
            chopper sign. --offset is the reference offset of A (reference = symmetry point + offset): \
            a negative offset opposes this gradient (TTv2 breaks down), a positive one only speeds \
            TTv2 up. Each element is read every 25 updates; the chopper switches every 500 updates. \
            --task FILE.json sets every parameter (see --print-task); options override it. \
            --trace, --summary and --plot write the trace CSV, the experiment with its outcome (JSON) \
            and the figure; no other file is written. See docs/algorithms.md.
            """
    )

    @Option(help: "Algorithm: ttv2, c-ttv2 or agad.") var algorithm: AlgorithmName?
    @Option(parsing: .unconditional, help: "Reference offset of A (weight units; negative opposes the default gradient).") var offset: NumberArgument?
    @Option(help: "Number of updates.") var updates: Int?
    @Option(parsing: .unconditional, help: "Master seed (an integer in 0…2⁶⁴ − 1).") var seed: SeedArgument?
    @Option(help: "Write the trace CSV (step,a,h,weight,p,p_ref,chopper) to this file.") var trace: String?
    @Option(help: "Write the experiment (seed included) and its outcome as JSON to this file.") var summary: String?
    @Option(help: "Write the SVG figure to this file.") var plot: String?
    @Option(help: "A toy JSON file (all fields; command-line options override it).") var task: String?
    @Flag(help: "Print the resolved toy JSON and exit.") var printTask = false

    func resolvedExperiment() throws -> ToyExperiment {
        var t = try task.map { try loadJSON(ToyExperiment.self, path: $0, what: "toy") } ?? ToyExperiment()
        if let algorithm { t.algorithm = algorithm }
        if let offset { t.offset = try offset.float(field: "--offset") }
        if let updates { t.updates = updates }
        if let seed { t.seed = try seed.value() }
        do { try t.validate() } catch let e as CrossbarError {
            // Name the command-line option when it set the field.
            if case let .invalidParameter(field, value, allowed) = e, ["algorithm", "offset", "updates"].contains(field) {
                throw CrossbarError.invalidParameter(field: "--" + field, value: value, allowed: allowed)
            }
            throw e
        }
        return t
    }

    /// Every file the command reads and writes.
    func files() -> OutputGuard {
        var files = OutputGuard()
        files.readsFile("--task", task)
        files.writesFile("--trace", trace)
        files.writesFile("--summary", summary)
        files.writesFile("--plot", plot)
        return files
    }

    func run() throws {
        try reportingErrors {
            try files().check()
            let t = try resolvedExperiment()
            if printTask { print(t.toJSON()); return }
            let r = try t.run()
            if let trace { try r.writeCSV(to: trace) }
            if let summary { try r.writeSummary(to: summary) }
            if let plot { try r.figure().write(to: plot) }
            let phases = r.chopperPhases.map { String(format: "%+.3f (%+d)", $0.progress, $0.netPulses) }.joined(separator: " ")
            print(String(format: "%@  offset %+.2f  updates %d  seed %llu:  weight %.4f → %.4f (progress %+.4f in the gradient's direction)",
                         t.algorithm.rawValue, t.offset, t.updates, t.seed, r.initialWeight, r.finalWeight, r.progress))
            print("reads of (0,0): \(r.readSteps.count), transfer writes to (0,0): \(r.writeSteps.count), net pulses in the gradient's direction: \(r.totalNetPulses), chopper switches: \(r.chopperSwitches.count)")
            print("progress (net pulses) per chopper phase: \(phases)")
            print(String(format: "pulses per update: A %.3f, C %.4f", r.pulsesPerUpdate["A"] ?? 0, r.pulsesPerUpdate["C"] ?? 0))
        }
    }
}
