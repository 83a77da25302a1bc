/// The paper's weight-programming task (Fig. 4; the authors' correlation-detection example):
/// converge the tile's weights W to a fixed random target W* ~ U(−range, range) by gradient
/// descent on ½‖W x − W* x‖², with x from a fixed set of N(0, 1) inputs, one sample per
/// update. The analog forward pass gives W x (with its IO noise); the error d = W x − W* x
/// drives the algorithm's update. The metric is the standard deviation of W − W* after a
/// fixed number of updates.
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
    /// Apply the device's reference offsets to W as well (default: A only, as in the paper).
    public var referenceOnWeight = false
    /// Device-to-device spread of W's bounds (the paper sets σ_b = 0 for W). Default 0.
    public var weightBoundsDtod: Float = 0
    /// Forward, backward and transfer-read IO. Default the reference's StandardIOParameters
    /// (8-bit DAC and ADC, out_noise 0.04, out_bound 10).
    public var io: IOParameters = .standard
    /// Transfer-algorithm settings (transfer_every 1, auto_granularity 200, auto_scale, regular
    /// chopper, AGAD tail_weightening 5).
    public var options = AlgorithmOptions()
    /// Number of single-sample updates. Default 10000.
    public var updates = 10000
    /// Size of the fixed input set. Default 100.
    public var inputs = 100
    /// SGD learning rate. Default 0.1.
    public var learningRate: Float = 0.1
    /// Targets are U(−target_range, target_range). Default 0.5.
    public var targetRange: Float = 0.5
    /// Master seed of all random streams.
    public var seed: UInt64 = 1

    public init() {}

    /// Soft-bounds reference devices with subtract_symmetry_point, range [−1, 1] and
    /// up_down_dtod 0.1 (σ_± of the paper); other d2d and c2c spreads at their defaults.
    public static var defaultDevice: DeviceConfig {
        var d = DeviceConfig(model: .softBoundsReference)
        d.wMax = 1
        d.wMin = -1
        d.upDownDtod = 0.1
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
        try Check.atLeast(inputs, 1, "inputs")
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
        var inputsX = Matrix(rows: inputs, cols: cols)
        for k in inputsX.storage.indices { inputsX.storage[k] = g.nextGaussian() }
        let targetOut = inputsX.multiplied(by: target.transposed) // [inputs × rows]
        try tile.setWeights(Matrix(rows: rows, cols: cols))
        var y = [Float](repeating: 0, count: rows)
        var d = [Float](repeating: 0, count: rows)
        var curve: [Double] = []
        let checkpoints = Set((1...10).map { updates * $0 / 10 })
        inputsX.storage.withUnsafeBufferPointer { xs in
            for t in 0..<updates {
                let k = t % inputs
                let x = xs.baseAddress! + k * cols
                y.withUnsafeMutableBufferPointer { tile.forward(input: x, batch: 1, output: $0.baseAddress!) }
                for i in 0..<rows { d[i] = y[i] - targetOut[k, i] }
                d.withUnsafeBufferPointer { tile.update(x: x, d: $0.baseAddress!, batch: 1, learningRate: learningRate) }
                tile.core.postUpdateStep()
                if checkpoints.contains(t + 1) { curve.append(Self.errorStd(tile.weights(), target).std) }
            }
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
