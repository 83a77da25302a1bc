import Foundation
import CrossbarFoundation
import CrossbarDevices
import CrossbarNetwork
import CrossbarSweep

/// The standard comparison of the benchmark harness (Rasch et al. 2023, "Fast offset corrected
/// in-memory training"): which in-memory training algorithm still works as the reference
/// conductances move away from the devices' symmetry points?
///
/// Sweeps run with the ordinary sweep machinery (so they resume after a kill, and a training
/// point resumes from its last completed epoch):
/// - **program** (the paper's Fig. 4): weight-programming error std(W − W*) of a 10×10 tile
///   (``ProgrammingTask``, the authors' recipe) over the reference offset σ_r ∈ {0, 0.1, 0.2,
///   0.3, 0.5} (device `reference_std` of A, weight range [−1, 1]) × number of states, for
///   in-memory SGD, TTv2, c-TTv2 and AGAD;
/// - **networks** (the paper's DNN claim: TTv2 degrades with σ_r, c-TTv2 and AGAD keep
///   near-floating-point accuracy): test accuracy on Fashion-MNIST over σ_r, and in full mode
///   the LSTM character model's test loss (nats per character) on the fortunes corpus, one
///   sweep per ``NetworkComparison`` (model × device setting), each decided on its own metric
///   (``NetworkVerdictRule``).
///
/// ``Mode/quick`` runs in minutes on two cores (fewer states and one epoch of fc: it cannot
/// decide the network claim); ``Mode/full`` is the complete grid, fc and LeNet-5 under both
/// device settings and the LSTM under the paper's LSTM setting, with 3 seeds, trained to
/// convergence (many hours; it spans sessions).
/// ``programClaims(_:)`` and ``NetworkVerdict`` set the measured numbers next to the paper's statements.
public struct StandardComparison: Sendable {
    public enum Mode: String, ConfigEnum {
        /// About 10 minutes on two cores: n_states {10, 20, 50}, 3 seeds; fc (ReRamSB presets)
        /// for one epoch at σ_r {0, 0.3, 0.5}, one seed.
        case quick
        /// Many hours: n_states {5, 10, 20, 50, 100, 200}, 5 seeds; fc and LeNet-5 under both
        /// device settings, σ_r {0, 0.1, 0.3, 0.5}, 3 seeds, several epochs with a schedule; the
        /// LSTM (``lstmPart``) at σ_r {0, 0.3, 0.5}, 3 seeds, 50 epochs (days of CPU time).
        case full
    }

    /// The reference offsets σ_r (device `reference_std`, weight units) of the programming sweep.
    public static let referenceOffsets: [Double] = [0, 0.1, 0.2, 0.3, 0.5]
    /// The algorithms of the programming sweep.
    public static let programAlgorithms = ["sgd", "ttv2", "c-ttv2", "agad"]
    /// The algorithms of the network sweeps: the three transfer algorithms between the bounds
    /// floating point (above) and in-memory SGD (below).
    public static let networkAlgorithms = ["fp", "sgd", "ttv2", "c-ttv2", "agad"]
    /// The algorithms the network claim is about.
    public static let claimAlgorithms = ["ttv2", "c-ttv2", "agad"]
    /// The algorithms of the LSTM part: floating point and the three transfer algorithms (no
    /// in-memory SGD, as in the paper's LSTM experiment).
    public static let lstmAlgorithms = ["fp", "ttv2", "c-ttv2", "agad"]

    public var mode: Mode
    /// Data of the image network sweeps (``TrainingTask/data``; a part with its own
    /// ``NetworkComparison/data``, the LSTM's, ignores it). Default Fashion-MNIST.
    public var data: String
    /// The network parts (default: those of the mode, ``defaultNetworks(_:)``).
    public var networks: [NetworkComparison]

    public init(mode: Mode, data: String = TrainingTask.fashionMNIST, networks: [NetworkComparison]? = nil) {
        self.mode = mode
        self.data = data
        self.networks = networks ?? Self.defaultNetworks(mode)
    }

    /// The network parts of a mode. Full mode: fc for 20 epochs (lr 0.1, ×0.1 at epochs 10 and
    /// 15) and LeNet-5 for 10 epochs (lr 0.01 — the reference simulator's LeNet-5 example; at
    /// lr 0.1 TTv2 under build_config diverged to chance in its first epoch — ×0.1 at 5 and 8),
    /// each under both image device settings, σ_r
    /// run in the order 0, 0.5, 0.1, 0.3 (so the decisive offsets complete first), seeds 1–3;
    /// then ``lstmPart``.
    public static func defaultNetworks(_ mode: Mode) -> [NetworkComparison] {
        switch mode {
        case .quick:
            return [NetworkComparison(model: .fc, setting: .presets, epochs: 1, milestones: [], offsets: [0, 0.3, 0.5],
                                      seeds: [1], algorithms: ["fp", "ttv2", "c-ttv2", "agad"])]
        case .full:
            let offsets: [Double] = [0, 0.5, 0.1, 0.3]
            var out: [NetworkComparison] = []
            for (model, epochs, milestones, learningRate) in [(ModelName.fc, 20, [10, 15], 0.1), (.lenet5, 10, [5, 8], 0.01)] {
                for setting in [NetworkComparison.Setting.presets, .buildConfig] {
                    var part = NetworkComparison(model: model, setting: setting, epochs: epochs, milestones: milestones,
                                                 offsets: offsets, seeds: [1, 2, 3], algorithms: networkAlgorithms)
                    part.learningRate = learningRate
                    out.append(part)
                }
            }
            return out + [lstmPart]
        }
    }

    /// The LSTM part of full mode, `lstm-build-config`: the paper's "LSTM2-64WP" (2 layers of
    /// hidden size 64, dropout 0.2: the `train` task's LSTM defaults) on the fortunes corpus,
    /// batch 32, sequence length 100, lr 0.01 constant, 50 epochs (the reference recipe), under
    /// the paper's LSTM device setting (``NetworkComparison/Setting/lstmBuildConfig``); σ_r run
    /// in the order 0, 0.5, 0.3, seeds 1–3, ``lstmAlgorithms``; decided on the test loss in
    /// nats per character (``NetworkVerdictRule/testLoss``).
    public static var lstmPart: NetworkComparison {
        var n = NetworkComparison(model: .lstm, setting: .lstmBuildConfig, epochs: 50, milestones: [], offsets: [0, 0.5, 0.3],
                                  seeds: [1, 2, 3], algorithms: lstmAlgorithms)
        n.learningRate = 0.01
        n.batchSize = 32
        n.sequenceLength = 100
        n.data = TrainingTask.fortunesData
        n.rule = .testLoss
        return n
    }

    /// Numbers of states of the programming sweep.
    public var numbersOfStates: [Double] { mode == .quick ? [10, 20, 50] : [5, 10, 20, 50, 100, 200] }

    /// The programming sweep (the paper's Fig. 4 grid; the task's defaults are the authors' recipe).
    public var programSpec: SweepSpec {
        var s = SweepSpec()
        s.name = "standard-program-\(mode.rawValue)"
        s.description = "Weight-programming error (Fig. 4 of Rasch et al. 2023) over reference offset × number of states for in-memory SGD, TTv2, c-TTv2 and AGAD (\(mode.rawValue) mode; the authors' recipe)."
        s.base = .object([
            "task": .string(ProgrammingTask.taskName),
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

    /// The sweep of a network part.
    public func networkSpec(_ n: NetworkComparison) -> SweepSpec {
        n.spec(data: data, sweepPrefix: "standard-\(mode.rawValue)")
    }

    /// Paths of one mode's outputs under `directory` (e.g. docs/results/full).
    public struct Layout: Sendable {
        public var directory: String
        public init(directory: String) { self.directory = directory }
        public var programSpec: String { directory + "/program-sweep.json" }
        public var programResults: String { directory + "/program.jsonl" }
        public var programReport: String { directory + "/program" }
        public func networkSpec(_ name: String) -> String { directory + "/\(name)-sweep.json" }
        public func networkResults(_ name: String) -> String { directory + "/\(name).jsonl" }
        public func networkReport(_ name: String) -> String { directory + "/\(name)" }
        public var summary: String { directory + "/README.md" }
    }

    /// The entries ``run(into:jobs:parts:registry:log:)`` writes into its folder (for
    /// ``OutputGuard``): per part its sweep file, results file, the points' work folder and the
    /// report folder, and README.md.
    public var folderEntries: OutputGuard.FolderEntries {
        let parts = ["program"] + networks.map(\.name)
        return .named(parts.flatMap { [$0 + "-sweep.json", $0 + ".jsonl", SweepRunner.workRoot(resultsPath: $0 + ".jsonl"), $0] }
                      + ["README.md"])
    }

    /// Which parts ``run(into:jobs:parts:registry:log:)`` runs; the summary covers every part
    /// whose results file exists.
    public enum Part: Hashable, Sendable {
        case program
        case network(String)
    }

    /// All parts of this comparison, in run order.
    public var parts: [Part] { [.program] + networks.map { .network($0.name) } }

    /// Runs the selected parts (resuming whatever `layout` already holds), writes their sweep
    /// files, results and reports, then the summary with the paper's claims over every part
    /// that has results; returns the summary text. `log` receives one line per finished point;
    /// `registry` supplies the tasks (tests replace them).
    @discardableResult
    public func run(into layout: Layout, jobs: Int, parts selected: Set<Part>? = nil, registry: SweepTaskRegistry = .standard,
                    log: @escaping @Sendable (String) -> Void = { _ in }) throws -> String {
        try FileManager.default.createDirectory(atPath: layout.directory, withIntermediateDirectories: true)
        var sweeps: [(Part, SweepSpec, String, String, String)] = [
            (.program, programSpec, layout.programSpec, layout.programResults, layout.programReport),
        ]
        for n in networks {
            sweeps.append((.network(n.name), networkSpec(n), layout.networkSpec(n.name), layout.networkResults(n.name), layout.networkReport(n.name)))
        }
        for (part, spec, specPath, resultsPath, _) in sweeps where selected?.contains(part) ?? true {
            try AtomicFile.write(spec.toJSON() + "\n", to: specPath)
            let runner = try SweepRunner(spec: spec, registry: registry)
            let options = SweepRunOptions(jobs: jobs) { p in
                let left = p.remaining.map { ", point ETA \(SweepProgress.durationText($0))" } ?? ""
                log("    \(spec.name) #\(p.point.index): \(p.message)\(left)")
            }
            let summary = try runner.run(resultsPath: resultsPath, options: options) { p in
                let axes = p.record.axes.map { "\($0.path)=\($0.value.shortDescription)" }.joined(separator: " ")
                let outcome = p.record.status == .ok
                    ? spec.metrics.compactMap { m in p.record.metrics[m].map { "\(m)=\(String(format: "%.4g", $0))" } }.joined(separator: " ")
                    : "FAILED: \(p.record.error ?? "")"
                let eta = p.remaining.map { ", ETA \(SweepProgress.durationText($0))" } ?? ""
                log("[\(spec.name) \(p.finished)/\(p.total)\(eta)] \(axes): \(outcome) (\(String(format: "%.1f", p.record.seconds)) s)")
            }
            if !summary.succeeded {
                log("\(spec.name): \(summary.failedIDs.count) point(s) failed; see \(resultsPath)")
            }
        }
        var program: SweepReport?
        var reports: [String: SweepReport] = [:]
        for (part, _, _, resultsPath, reportPath) in sweeps where FileManager.default.fileExists(atPath: resultsPath) {
            let records = try SweepResultsFile.read(resultsPath).records
            guard !records.isEmpty else { continue }
            let report = try SweepReport(records: records)
            try report.write(to: reportPath)
            switch part {
            case .program: program = report
            case let .network(name):
                reports[name] = report
                let rule = networks.first { $0.name == name }?.rule ?? .testAccuracy
                for (file, figure) in trainingCurveFigures(report, rule: rule) { try figure.write(to: reportPath + "/" + file) }
            }
        }
        let text = summaryMarkdown(program: program, networks: reports, layout: layout)
        try AtomicFile.write(text, to: layout.summary)
        return text
    }
}
