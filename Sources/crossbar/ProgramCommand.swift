import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar program`: the paper's weight-programming task (its Fig. 4).
struct ProgramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "program",
        abstract: "Program a random target matrix with an in-memory training algorithm (the paper's Fig. 4 task).",
        discussion: """
            Converges W (from 0) to a fixed target W* ~ U(−0.5, 0.5) by gradient descent on ½‖Wx − W*x‖² \
            with a fresh x ~ N(0, 1) every update, and reports std(W − W*) after 20 000 updates, averaged \
            over the seeds. The defaults are the authors' recipe (docs/algorithms.md §10): 10×10 tile, lr \
            0.1, soft-bounds reference devices in [−1, 1] with the symmetry point subtracted, dw_min = \
            2/n_states, bound spread 0.3, up_down_dtod 0.1, no step spread or cycle-to-cycle noise, 8-bit \
            DAC/ADC with out_noise 0.04; build_config's per-algorithm settings (ttv2: A desired_bl 5, \
            fast_lr 1; c-ttv2 and agad: fast_lr 0.1, desired_bl 5) with transfer_every 1, \
            auto_granularity 200, auto_scale, regular chopper, AGAD tail_weightening 5. σ_r acts on A \
            only unless --reference-on-weight. The output's header states every setting. --task \
            FILE.json sets every field (see `crossbar program --print-task`).
            """
    )

    @Option(help: "The training algorithm.") var algorithm: AlgorithmName?
    @Option(help: "Number of device states (dw_min = range/n_states).") var nStates: NumberArgument?
    @Option(help: "Reference offset spread σ_r (device reference_std on A).") var referenceStd: NumberArgument?
    @Flag(help: "Apply the reference offsets to W too.") var referenceOnWeight = false
    @Option(help: "Number of single-sample updates.") var updates: Int?
    @Option(help: "Comma-separated seeds to average over.") var seeds: String = "1,2,3"
    @Option(help: "A task JSON file (all fields; command-line options override it).") var task: String?
    @Flag(help: "Print the resolved task JSON and exit.") var printTask = false
    @Flag(help: "Print one JSON line per seed instead of a table.") var json = false

    func validate() throws {
        _ = try seedList()
    }

    /// The seeds of --seeds; any part that is not an integer ≥ 0 is an error naming it.
    func seedList() throws -> [UInt64] {
        let parts = seeds.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var out: [UInt64] = []
        for p in parts {
            guard let s = UInt64(p) else {
                throw CrossbarError.invalidParameter(field: "--seeds", value: "'\(seeds)' (part '\(p)')",
                                                     allowed: "comma-separated integers in 0…\(UInt64.max)")
            }
            out.append(s)
        }
        return out
    }

    func resolvedTask() throws -> ProgrammingTask {
        var t = try task.map { try loadJSON(ProgrammingTask.self, path: $0, what: "task") } ?? ProgrammingTask()
        if let algorithm { t.algorithm = algorithm }
        if let nStates { t.nStates = try nStates.float(field: "--n-states") }
        if let referenceStd { t.device.referenceStd = try referenceStd.float(field: "--reference-std") }
        if referenceOnWeight { t.referenceOnWeight = true }
        if let updates { t.updates = updates }
        do { try t.validate(); try t.device.validate() } catch let e as CrossbarError { throw e }
        return t
    }

    func run() throws {
        try reportingErrors {
            var t = try resolvedTask()
            if printTask { print(t.toJSON()); return }
            let seedValues = try seedList()
            if !json { for line in t.settingsLines() { print("# " + line) } }
            var errors: [Double] = []
            for s in seedValues {
                t.seed = s
                let r = try t.run()
                errors.append(r.weightErrorStd)
                if json {
                    print(JSONCoding.encodeString(ProgramLine(seed: s, result: r, task: t), pretty: false))
                }
            }
            if !json {
                let mean = errors.reduce(0, +) / Double(errors.count)
                let std = errors.count > 1 ? (errors.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(errors.count - 1)).squareRoot() : 0
                print(String(format: "%@  n_states %.0f  σ_r %.2f  updates %d  seeds %d:  std(W − W*) = %.4f ± %.4f",
                             t.algorithm.rawValue, t.nStates, t.device.referenceStd, t.updates, errors.count, mean, std))
            }
        }
    }
}

struct ProgramLine: Encodable {
    let seed: UInt64
    let result: ProgrammingResult
    let task: ProgrammingTask
}
