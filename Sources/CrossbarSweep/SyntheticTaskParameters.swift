import CrossbarFoundation

/// The run document of the ``SyntheticTask`` (every key optional except `task`).
public struct SyntheticTaskParameters: ConfigRecord {
    /// Always `"synthetic"`.
    public var task = "synthetic"
    /// Master seed of the data, sample order, initial weights and update noise, ≥ 0. (An `Int`
    /// so that a negative seed gets a clear message: JSONDecoder reports `-1` for a `UInt64`
    /// field as "not valid JSON".)
    public var seed = 1
    public var algorithm: SyntheticAlgorithm = .sgd
    /// Input dimension d, 1…1024.
    public var features = 8
    /// Training samples, 1…1 000 000.
    public var samples = 256
    /// SGD steps (one sample each), 1…10 000 000.
    public var steps = 200
    /// Learning rate η, (0, 10]. Too large ⇒ the run diverges and fails.
    public var learningRate = 0.05
    /// Standard deviation of the label noise, [0, 1000].
    public var noise = 0.1
    /// Standard deviation of Gaussian noise added to every weight at every step (an update
    /// non-ideality, like a device's cycle-to-cycle noise), [0, 1000].
    public var updateNoise = 0.0
    /// Extra wall time per run in milliseconds (to make a sweep slow on purpose, e.g. to
    /// exercise kill-and-resume), 0…600 000.
    public var sleepMs = 0

    public init() {}

    public static let fields: [ConfigField<SyntheticTaskParameters>] = [
        ConfigField("task", \.task),
        ConfigField("seed", \.seed),
        ConfigField("algorithm", \.algorithm),
        ConfigField("features", \.features),
        ConfigField("samples", \.samples),
        ConfigField("steps", \.steps),
        ConfigField("learning_rate", \.learningRate),
        ConfigField("noise", \.noise),
        ConfigField("update_noise", \.updateNoise),
        ConfigField("sleep_ms", \.sleepMs),
    ]

    public func validate() throws {
        if task != SyntheticTask.taskName {
            throw CrossbarError.invalidParameter(field: "task", value: "'\(task)'", allowed: "'\(SyntheticTask.taskName)'")
        }
        func range(_ v: Int, _ lo: Int, _ hi: Int, _ field: String) throws {
            if v < lo || v > hi { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "\(lo)…\(hi)") }
        }
        func range(_ v: Double, _ lo: Double, _ hi: Double, _ field: String, openBelow: Bool = false) throws {
            let below = openBelow ? v <= lo : v < lo
            if !v.isFinite || below || v > hi {
                throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: openBelow ? "(\(lo), \(hi)]" : "[\(lo), \(hi)]")
            }
        }
        try range(seed, 0, Int.max, "seed")
        try range(features, 1, 1024, "features")
        try range(samples, 1, 1_000_000, "samples")
        try range(steps, 1, 10_000_000, "steps")
        try range(learningRate, 0, 10, "learning_rate", openBelow: true)
        try range(noise, 0, 1000, "noise")
        try range(updateNoise, 0, 1000, "update_noise")
        try range(sleepMs, 0, 600_000, "sleep_ms")
    }
}
