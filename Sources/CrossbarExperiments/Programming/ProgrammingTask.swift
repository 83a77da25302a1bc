import CrossbarFoundation
import CrossbarDevices
import CrossbarTile
import CrossbarAlgorithms

/// The paper's weight-programming task (Fig. 4; the authors' correlation-detection example):
/// converge the tile's weights W to a fixed random target W* ~ U(−range, range) by gradient
/// descent on ½‖W x − W* x‖², one sample per update. The analog forward pass gives W x (with
/// its IO noise); the error d = W x − W* x drives the algorithm's update. The metric is the
/// standard deviation of W − W* after a fixed number of updates.
///
/// The defaults are the authors' recipe (docs/algorithms.md §10): soft-bounds reference
/// devices in [−1, 1] with the symmetry point subtracted, dw_min = 2/n_states, bound spread
/// 0.3, up/down spread σ_± = 0.1, no step spread and no cycle-to-cycle noise; 8-bit DAC and
/// ADC with output noise 0.04; `build_config`'s per-algorithm settings with the example's
/// overrides (`AlgorithmOptions/correlationDetection`); a fresh x ~ N(0, 1) every update,
/// 20 000 updates at lr 0.1 from W = 0.
public struct ProgrammingTask: ConfigRecord {
    /// Task name in sweep files and results.
    public static let taskName = "program"

    public var algorithm: AlgorithmName = .agad
    /// Rows (outputs) and columns (inputs) of the tile. Default 10 × 10.
    public var rows = 10
    public var cols = 10
    /// Number of device states: dw_min = (w_max − w_min)/n_states (≤ 0: keep device.dw_min).
    public var nStates: Float = 20
    /// The device of A (and of W for in-memory SGD). Its reference_std is the paper's σ_r.
    public var device: DeviceConfig = ProgrammingTask.defaultDevice
    /// Apply the device's reference offsets to W as well (default: A only, as in the paper;
    /// the reference's `build_config` copies the device, offsets included, to every array).
    public var referenceOnWeight = false
    /// Device-to-device spread of W's bounds (the paper sets σ_b = 0 for W). Default 0.
    public var weightBoundsDtod: Float = 0
    /// Forward, backward and transfer-read IO. Default the reference's StandardIOParameters
    /// (8-bit DAC and ADC, out_noise 0.04, out_bound 10).
    public var io: IOParameters = .standard
    /// Algorithm settings over `build_config`'s (default: the correlation-detection example's
    /// transfer_every 1, auto_granularity 200, auto_scale, regular chopper, tail_weightening 5).
    public var options = AlgorithmOptions.correlationDetection
    /// Number of single-sample updates. Default 20000.
    public var updates = 20000
    /// Inputs: 0 (default) draws a fresh x ~ N(0, 1) for every update, as the authors'
    /// example does; N > 0 cycles through a fixed set of N such inputs.
    public var inputs = 0
    /// SGD learning rate. Default 0.1.
    public var learningRate: Float = 0.1
    /// Targets are U(−target_range, target_range). Default 0.5.
    public var targetRange: Float = 0.5
    /// Master seed of all random streams.
    public var seed: UInt64 = 1

    public init() {}

    /// The recipe's device: soft-bounds reference devices in [−1, 1] with the symmetry point
    /// subtracted, bound spread 0.3 (w_min_dtod, w_max_dtod), σ_± = up_down_dtod 0.1, up_down
    /// 0, no spread of the step size (dw_min_dtod 0, log-normal) or slopes, no cycle-to-cycle
    /// noise (dw_min_std 0), additive noise, consistent devices. dw_min follows n_states.
    public static var defaultDevice: DeviceConfig {
        var d = DeviceConfig(model: .softBoundsReference)
        d.dwMin = 0.1
        d.wMax = 1
        d.wMin = -1
        d.wMaxDtod = 0.3
        d.wMinDtod = 0.3
        d.upDown = 0
        d.upDownDtod = 0.1
        d.dwMinDtod = 0
        d.dwMinDtodLogNormal = true
        d.dwMinStd = 0
        d.slopeUpDtod = 0
        d.slopeDownDtod = 0
        d.enforceConsistency = true
        d.multNoise = false
        d.subtractSymmetryPoint = true
        return d
    }

    public static var fields: [ConfigField<ProgrammingTask>] {
        [
            .init("algorithm", \.algorithm),
            .init("rows", \.rows),
            .init("cols", \.cols),
            .init("n_states", \.nStates),
            .init("device", \.device),
            .init("reference_on_weight", \.referenceOnWeight),
            .init("weight_bounds_dtod", \.weightBoundsDtod),
            .init("io", \.io),
            .init("options", \.options),
            .init("updates", \.updates),
            .init("inputs", \.inputs),
            .init("learning_rate", \.learningRate),
            .init("target_range", \.targetRange),
            .init("seed", \.seed),
        ]
    }

    public func validate() throws {
        try Check.atLeast(rows, 1, "rows")
        try Check.atLeast(cols, 1, "cols")
        if rows > 4096 || cols > 4096 {
            throw CrossbarError.invalidParameter(field: rows > 4096 ? "rows" : "cols", value: "\(max(rows, cols))", allowed: "1…4096")
        }
        try Check.finite(nStates, "n_states")
        if !device.model.isPulsed && algorithm != .fp {
            throw CrossbarError.invalidParameter(field: "device.type", value: device.model.rawValue, allowed: "a pulsed device model")
        }
        try Check.nonNegative(weightBoundsDtod, "weight_bounds_dtod")
        try Check.atLeast(updates, 0, "updates")
        try Check.atLeast(inputs, 0, "inputs")
        try Check.positive(learningRate, "learning_rate")
        try Check.positive(targetRange, "target_range")
    }

    /// The devices of A and W after applying n_states and the W-only settings.
    public func resolvedDevices() -> (a: DeviceConfig, w: DeviceConfig) {
        var a = device
        if nStates > 0 { a.dwMin = (a.wMax - a.wMin) / nStates }
        var w = a
        w.wMaxDtod = weightBoundsDtod
        w.wMinDtod = weightBoundsDtod
        if !referenceOnWeight { w.referenceStd = 0; w.referenceMean = 0 }
        if algorithm == .sgd || algorithm == .mixedPrecision { return (a, a) }
        return (a, w)
    }

    /// Every setting of the run, resolved, one per line: the task's own settings, then the
    /// tile configuration (``ConfigurationSummary``). `crossbar program` prints them as its
    /// output's header.
    public func settingsLines() -> [String] {
        let (a, _) = resolvedDevices()
        let where_ = algorithm == .sgd || algorithm == .mixedPrecision || referenceOnWeight ? "every array" : "A only"
        var lines = [
            "task: weight programming, \(rows)×\(cols) tile, target W* ~ U(−\(targetRange), \(targetRange)), W starts at 0, "
                + "\(updates) updates at lr \(learningRate), "
                + (inputs == 0 ? "a fresh x ~ N(0, 1) every update" : "x cycling through \(inputs) fixed N(0, 1) inputs"),
            "algorithm \(algorithm.rawValue), n_states \(nStates > 0 ? "\(nStates)" : "from dw_min") (dw_min \(a.dwMin)), "
                + "σ_r = reference_std \(device.referenceStd) on \(where_), W bound spread (σ_b of W) \(weightBoundsDtod)",
        ]
        lines += ConfigurationSummary.lines(tileConfiguration())
        return lines
    }

    /// The tile configuration this task trains.
    public func tileConfiguration() -> TileConfiguration {
        let (a, w) = resolvedDevices()
        return AlgorithmBuilder.configuration(algorithm, device: a, weightDevice: w, io: io, options: options)
    }
}

/// The outcome of one run of the programming task.
public struct ProgrammingResult: Sendable, Codable, Equatable {
    /// Standard deviation of W − W* over all elements after the last update.
    public var weightErrorStd: Double
    /// Root mean square of W − W*.
    public var weightErrorRMS: Double
    /// std(W − W*) at 10 equally spaced checkpoints (the convergence curve).
    public var errorCurve: [Double]
    /// Pulses per update on each array ("W", or "A" and "C").
    public var pulsesPerUpdate: [String: Double]
    public var seconds: Double
}

extension ProgrammingTask {
    /// Runs the task (deterministic for a given configuration and seed).
    public func run() throws -> ProgrammingResult {
        try validate()
        let clock = ContinuousClock()
        let start = clock.now
        let seeds = SeedSet(master: seed)
        let tile = try AnalogTile(outSize: rows, inSize: cols, configuration: tileConfiguration(), seeds: seeds, path: "program")
        var g = seeds.key(.task, "program").generator
        var target = Matrix(rows: rows, cols: cols)
        for k in target.storage.indices { target.storage[k] = (2 * g.nextUniform() - 1) * targetRange }
        // A fixed input set (inputs > 0) comes from the task stream right after the target; fresh
        // inputs (inputs = 0) from a stream of their own, one x per update.
        var inputsX = Matrix(rows: max(inputs, 1), cols: cols)
        if inputs > 0 { for k in inputsX.storage.indices { inputsX.storage[k] = g.nextGaussian() } }
        var fresh = seeds.key(.task, "program-inputs").generator
        try tile.setWeights(Matrix(rows: rows, cols: cols))
        var x = [Float](repeating: 0, count: cols)
        var y = [Float](repeating: 0, count: rows)
        var d = [Float](repeating: 0, count: rows)
        var curve: [Double] = []
        let checkpoints = Set((1...10).map { updates * $0 / 10 })
        for t in 0..<updates {
            if inputs > 0 {
                let k = t % inputs
                for j in 0..<cols { x[j] = inputsX[k, j] }
            } else {
                for j in 0..<cols { x[j] = fresh.nextGaussian() }
            }
            for i in 0..<rows {
                var targetY: Float = 0
                for j in 0..<cols { targetY += target[i, j] * x[j] }
                d[i] = targetY
            }
            x.withUnsafeBufferPointer { xs in
                let xb = FloatBuffer(xs.baseAddress!, count: cols)
                y.withUnsafeMutableBufferPointer { tile.forward(input: xb, batch: 1, output: FloatBuffer($0.baseAddress!, count: rows)) }
                for i in 0..<rows { d[i] = y[i] - d[i] }
                d.withUnsafeBufferPointer { tile.update(x: xb, d: FloatBuffer($0.baseAddress!, count: rows), batch: 1, learningRate: learningRate) }
            }
            tile.core.postUpdateStep()
            if checkpoints.contains(t + 1) { curve.append(Self.errorStd(tile.weights(), target).std) }
        }
        let (std, rms) = Self.errorStd(tile.weights(), target)
        var pulses: [String: Double] = [:]
        for (name, c) in tile.core.pulseCounters {
            pulses[name] = updates > 0 ? Double(c.total) / Double(updates) : 0
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return ProgrammingResult(weightErrorStd: std, weightErrorRMS: rms, errorCurve: curve, pulsesPerUpdate: pulses,
                                 seconds: seconds)
    }

    static func errorStd(_ w: Matrix, _ target: Matrix) -> (std: Double, rms: Double) {
        let n = Double(w.storage.count)
        var sum = 0.0, sum2 = 0.0
        for k in w.storage.indices {
            let e = Double(w.storage[k] - target.storage[k])
            sum += e
            sum2 += e * e
        }
        let mean = sum / n
        return (max(sum2 / n - mean * mean, 0).squareRoot(), (sum2 / n).squareRoot())
    }
}
