import Foundation

/// The standard comparison of the benchmark harness (Rasch et al. 2023, "Fast offset corrected
/// in-memory training"): which in-memory training algorithm still works as the reference
/// conductances move away from the devices' symmetry points?
///
/// Two sweeps, run with the ordinary sweep machinery (so they resume after a kill and can be
/// sharded like any other sweep):
/// - **program** (the paper's Fig. 4): weight-programming error std(W − W*) of a 10×10 tile
///   (``ProgrammingTask``) over the reference offset σ_r ∈ {0, 0.1, 0.2, 0.3, 0.5} (device
///   `reference_std` of A, weight range [−1, 1]) × number of states, for in-memory SGD, TTv2,
///   c-TTv2 and AGAD;
/// - **fc** (the paper's §5.3 claim): test accuracy of the `fc` network on Fashion-MNIST
///   (``TrainingTask``, the ReRamSB presets, batch 10, learning rate 0.1) over the same σ_r for
///   floating point, TTv2, c-TTv2 and AGAD.
///
/// ``Mode/quick`` runs in minutes on two cores (fewer states, seeds, updates and samples);
/// ``Mode/full`` is the complete grid (hours). ``claims(program:training:)`` sets the measured
/// numbers next to the paper's statements.
public struct StandardComparison: Sendable {
    public enum Mode: String, ConfigEnum {
        /// About 10 minutes on two cores: n_states {10, 20, 50}, 3 seeds, 10 000 updates; fc
        /// for one epoch (60 000 / 10 000 images) at σ_r {0, 0.3, 0.5}, one seed.
        case quick
        /// Hours: n_states {5, 10, 20, 50, 100, 200}, 5 seeds, 20 000 updates; fc for 3 epochs
        /// at every σ_r, 2 seeds.
        case full
    }

    /// The reference offsets σ_r (device `reference_std`, weight units) of the programming sweep
    /// (and of the training sweep in full mode).
    public static let referenceOffsets: [Double] = [0, 0.1, 0.2, 0.3, 0.5]
    /// The algorithms of the programming sweep.
    public static let programAlgorithms = ["sgd", "ttv2", "c-ttv2", "agad"]
    /// The algorithms of the training sweep.
    public static let trainingAlgorithms = ["fp", "ttv2", "c-ttv2", "agad"]

    public var mode: Mode
    /// Data of the training sweep (``TrainingTask/data``). Default Fashion-MNIST.
    public var data: String

    public init(mode: Mode, data: String = TrainingTask.fashionMNIST) {
        self.mode = mode
        self.data = data
    }

    /// Reference offsets of the training sweep (a training run costs minutes, not milliseconds).
    public var trainingOffsets: [Double] { mode == .quick ? [0, 0.3, 0.5] : Self.referenceOffsets }

    /// Numbers of states of the programming sweep.
    public var numbersOfStates: [Double] { mode == .quick ? [10, 20, 50] : [5, 10, 20, 50, 100, 200] }

    /// The programming sweep (the paper's Fig. 4 grid).
    public var programSpec: SweepSpec {
        var s = SweepSpec()
        s.name = "standard-program-\(mode.rawValue)"
        s.description = "Weight-programming error (Fig. 4 of Rasch et al. 2023) over reference offset × number of states for in-memory SGD, TTv2, c-TTv2 and AGAD (\(mode.rawValue) mode)."
        s.base = .object([
            "task": .string(ProgrammingTask.taskName),
            "updates": .number(mode == .quick ? 10000 : 20000),
            "device": (try? JSONValue(encoding: ProgrammingTask.defaultDevice)) ?? .null,
        ])
        s.axes = [
            SweepAxis(path: "algorithm", values: Self.programAlgorithms.map(JSONValue.string)),
            SweepAxis(path: "n_states", values: numbersOfStates.map(JSONValue.number)),
            SweepAxis(path: "device.reference_std", values: Self.referenceOffsets.map(JSONValue.number)),
            SweepAxis(path: "seed", values: (mode == .quick ? [1, 2, 3] : [1, 2, 3, 4, 5]).map { JSONValue.number(Double($0)) }),
        ]
        s.metrics = ["weight_error_std", "weight_error_rms"]
        s.report.metric = "weight_error_std"
        s.report.heatmap = ["n_states", "device.reference_std"]
        s.report.fixed = ["n_states": .number(20)]
        s.report.logY = true
        return s
    }

    /// The training sweep (fc on Fashion-MNIST over σ_r).
    public var trainingSpec: SweepSpec {
        var s = SweepSpec()
        s.name = "standard-fc-\(mode.rawValue)"
        s.description = "fc (784-256-128-10) test accuracy on Fashion-MNIST over the reference offset of A for floating point, TTv2, c-TTv2 and AGAD (ReRamSB presets; \(mode.rawValue) mode)."
        s.base = .object([
            "task": .string(TrainingTask.taskName),
            "model": .string("fc"),
            "data": .string(data),
            "device_preset": .string("ReRamSB"),
            "train_samples": .number(0),
            "test_samples": .number(0),
            "epochs": .number(mode == .quick ? 1 : 3),
            "batch_size": .number(10),
            "learning_rate": .number(0.1),
        ])
        s.axes = [
            SweepAxis(path: "algorithm", values: Self.trainingAlgorithms.map(JSONValue.string)),
            SweepAxis(path: "device.reference_std", values: trainingOffsets.map(JSONValue.number)),
            SweepAxis(path: "seed", values: (mode == .quick ? [1] : [1, 2]).map { JSONValue.number(Double($0)) }),
        ]
        s.metrics = ["test_accuracy", "train_loss"]
        s.report.metric = "test_accuracy"
        return s
    }

    /// Paths of one mode's outputs under `directory` (e.g. docs/results/quick).
    public struct Layout: Sendable {
        public var directory: String
        public init(directory: String) { self.directory = directory }
        public var programSpec: String { directory + "/program-sweep.json" }
        public var programResults: String { directory + "/program.jsonl" }
        public var programReport: String { directory + "/program" }
        public var trainingSpec: String { directory + "/fc-sweep.json" }
        public var trainingResults: String { directory + "/fc.jsonl" }
        public var trainingReport: String { directory + "/fc" }
        public var summary: String { directory + "/README.md" }
    }

    /// Runs both sweeps (resuming whatever `layout` already holds), writes the sweep files,
    /// results, both reports and the summary with the paper's claims; returns the summary text.
    /// `log` receives one line per finished point; `registry` supplies the tasks (tests replace
    /// them).
    @discardableResult
    public func run(into layout: Layout, jobs: Int, skipTraining: Bool = false, registry: SweepTaskRegistry = .standard,
                    log: @escaping @Sendable (String) -> Void = { _ in }) throws -> String {
        try FileManager.default.createDirectory(atPath: layout.directory, withIntermediateDirectories: true)
        var sweeps: [(SweepSpec, String, String, String)] = [
            (programSpec, layout.programSpec, layout.programResults, layout.programReport),
        ]
        if !skipTraining {
            sweeps.append((trainingSpec, layout.trainingSpec, layout.trainingResults, layout.trainingReport))
        }
        var reports: [String: SweepReport] = [:]
        for (spec, specPath, resultsPath, reportPath) in sweeps {
            try AtomicFile.write(spec.toJSON() + "\n", to: specPath)
            let runner = try SweepRunner(spec: spec, registry: registry)
            let summary = try runner.run(resultsPath: resultsPath, options: SweepRunOptions(jobs: jobs)) { p in
                let axes = p.record.axes.map { "\($0.path)=\($0.value.shortDescription)" }.joined(separator: " ")
                let outcome = p.record.status == .ok
                    ? spec.metrics.compactMap { m in p.record.metrics[m].map { "\(m)=\(String(format: "%.4g", $0))" } }.joined(separator: " ")
                    : "FAILED: \(p.record.error ?? "")"
                log("[\(spec.name) \(p.finished)/\(p.total)] \(axes): \(outcome) (\(String(format: "%.1f", p.record.seconds)) s)")
            }
            if !summary.succeeded {
                log("\(spec.name): \(summary.failedIDs.count) point(s) failed; see \(resultsPath)")
            }
            let report = try SweepReport(records: try SweepResultsFile.read(resultsPath).records)
            try report.write(to: reportPath)
            reports[spec.name] = report
        }
        let text = summaryMarkdown(program: reports[programSpec.name]!, training: reports[trainingSpec.name], layout: layout)
        try AtomicFile.write(text, to: layout.summary)
        return text
    }
}
