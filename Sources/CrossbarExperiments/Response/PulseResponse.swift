import Foundation
import CrossbarFoundation
import CrossbarPlot
import CrossbarDevices
import CrossbarTile

/// The pulse-response curve of a device population (docs/devices.md, "Response curves"; `crossbar response`):
/// `devices` devices of one configuration (each with its own device-to-device draws) start at
/// weight 0, receive `pulses` up pulses and then `pulses` down pulses — exactly one pulse per
/// device per step, with cycle-to-cycle noise — and after every pulse the mean and standard
/// deviation of the read-visible weights (write noise included) over the population are recorded.
///
/// This drives `PulsedDeviceArray/pulseAll(down:_:)` directly, which is what the reference
/// simulator's recipe (x = all ones, d = ∓1, desired_bl 1, update management off, learning
/// rate ε) produces: one coincidence per device and step.
///
/// Randomness: device-to-device draws from the construction stream of path "response" (or from
/// `construction_seed` when it is non-zero), pulse noise and write noise from the cycle-noise
/// stream of the same path, all under master seed `seed`.
public struct PulseResponse: Sendable {
    /// One row of the curve: after pulse `step` (1-based) in direction `down`.
    public struct Point: Sendable, Equatable {
        public var step: Int
        public var down: Bool
        /// Mean and standard deviation (n − 1 normalisation; 0 for one device) of the
        /// read-visible weights over the population.
        public var mean: Double
        public var std: Double
    }

    public let device: DeviceConfig
    public let pulses: Int
    public let devices: Int
    public let seed: UInt64
    /// 2·pulses points: the up phase, then the down phase.
    public let points: [Point]
    /// Mean and std of the read-visible weights before the first pulse (weights set to 0,
    /// clipped to each device's bounds; write noise drawn if apply_write_noise_on_set).
    public let initialMean: Double
    public let initialStd: Double
    /// Mean and std over the population of each device's symmetry point (visible units).
    public let symmetryPointMean: Double
    public let symmetryPointStd: Double
    /// Mean over the population of the sampled hard bounds (conductance units).
    public let meanBMax: Double
    public let meanBMin: Double
    /// Mean over the population of the noise-free change of one up (down) pulse at weight 0.
    public let meanUpStepAtZero: Double
    public let meanDownStepAtZero: Double

    /// Largest pulse count and population size accepted (so a typo cannot allocate the machine).
    public static let maxPulses = 10_000_000
    public static let maxDevices = 10_000_000

    /// Measures the response. Throws for a non-pulsed device, invalid device parameters or
    /// counts outside 1…``maxPulses`` / 1…``maxDevices``.
    public init(device: DeviceConfig, pulses: Int, devices: Int, seed: UInt64) throws {
        try device.validate()
        guard device.model.isPulsed else {
            throw CrossbarError.invalidParameter(field: "type", value: device.model.rawValue,
                                                 allowed: "a pulsed device model (not floating_point or ideal)")
        }
        guard pulses >= 1 && pulses <= Self.maxPulses else {
            throw CrossbarError.invalidParameter(field: "pulses", value: "\(pulses)", allowed: "1…\(Self.maxPulses)")
        }
        guard devices >= 1 && devices <= Self.maxDevices else {
            throw CrossbarError.invalidParameter(field: "devices", value: "\(devices)", allowed: "1…\(Self.maxDevices)")
        }
        guard Double(pulses) * Double(devices) <= 2e10 else {
            throw CrossbarError.invalidParameter(field: "pulses × devices", value: "\(pulses) × \(devices)",
                                                 allowed: "at most 2·10¹⁰ device pulses")
        }
        self.device = device
        self.pulses = pulses
        self.devices = devices
        self.seed = seed
        let seeds = SeedSet(master: seed)
        let path = "response"
        var construction = AnalogTile.constructionGenerator(constructionSeed: device.constructionSeed, seeds: seeds, path: path)
        let noiseKey = seeds.key(.cycleNoise, path)
        let array = PulsedDeviceArray(config: device, rows: 1, cols: devices, construction: &construction, noiseKey: noiseKey)
        array.setWeights([Float](repeating: 0, count: devices))
        (initialMean, initialStd) = Self.statistics(array.readWeights(), devices)
        let sp = array.symmetryPoints()
        (symmetryPointMean, symmetryPointStd) = sp.withUnsafeBufferPointer { Self.statistics($0.baseAddress!, devices) }
        meanBMax = Self.statistics(UnsafePointer(array.bMax.pointer), devices).mean
        meanBMin = Self.statistics(UnsafePointer(array.bMin.pointer), devices).mean
        var upSum = 0.0, downSum = 0.0
        for k in 0..<devices {
            upSum += Double(array.meanStep(k, at: 0, down: false))
            downSum += Double(array.meanStep(k, at: 0, down: true))
        }
        meanUpStepAtZero = upSum / Double(devices)
        meanDownStepAtZero = downSum / Double(devices)
        var points: [Point] = []
        points.reserveCapacity(2 * pulses)
        let n = pulses, count = devices
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: NoiseSource.scratchFloats / 2) { scratch in
            let floats = UnsafeMutableRawPointer(scratch.baseAddress!).assumingMemoryBound(to: Float.self)
            var noise = NoiseSource(noiseKey.child("pulses").generator, scratch: floats)
            for phase in 0..<2 {
                let down = phase == 1
                for step in 1...n {
                    array.pulseAll(down: down, &noise)
                    let (m, s) = Self.statistics(array.readWeights(), count)
                    points.append(Point(step: phase * n + step, down: down, mean: m, std: s))
                }
            }
        }
        self.points = points
    }

    /// Mean and sample standard deviation (Double accumulation).
    static func statistics(_ w: UnsafePointer<Float>, _ n: Int) -> (mean: Double, std: Double) {
        var sum = 0.0
        for k in 0..<n { sum += Double(w[k]) }
        let mean = sum / Double(n)
        var ss = 0.0
        for k in 0..<n { let d = Double(w[k]) - mean; ss += d * d }
        return (mean, n > 1 ? (ss / Double(n - 1)).squareRoot() : 0)
    }

    /// The CSV of the curve: header `step,direction,mean,std`, then one row per pulse
    /// (`direction` is `up` or `down`; numbers with 9 significant digits).
    public func csv() -> String {
        var out = "step,direction,mean,std\n"
        out.reserveCapacity(32 * points.count)
        for p in points {
            out += "\(p.step),\(p.down ? "down" : "up"),\(Self.format(p.mean)),\(Self.format(p.std))\n"
        }
        return out
    }

    static func format(_ v: Double) -> String { String(format: "%.9g", v) }

    /// Mean weight after the last up pulse and after the last down pulse.
    public var meanAfterUp: Double { points[pulses - 1].mean }
    public var meanAfterDown: Double { points[2 * pulses - 1].mean }

    /// A plot of mean ± std against the pulse number, with the switch from up to down pulses
    /// and the mean symmetry point marked.
    public func figure(title: String? = nil) -> Figure {
        let x = points.map { Double($0.step) }
        let series = LineSeries("mean ± std over \(devices) devices", x: x, y: points.map(\.mean), std: points.map(\.std))
        return Figure(title: title, xAxis: PlotAxis("pulse number"), yAxis: PlotAxis("weight (read-visible)"),
                      series: [series],
                      referenceLines: [.vertical(Double(pulses) + 0.5, label: "up → down"),
                                       .horizontal(symmetryPointMean, label: "symmetry point (mean)")])
    }

    /// A short human-readable summary (several lines).
    public func summary(name: String) -> String {
        let c = device
        var lines: [String] = []
        lines.append("device \(name) (\(c.model.rawValue)), \(devices) devices, \(pulses) up + \(pulses) down pulses, seed \(seed)")
        lines.append(String(format: "granularity ε = %.6g, n_states = (w_max − w_min)/ε = %.0f", Double(c.granularity), Double(c.numberOfStates)))
        lines.append(String(format: "mean bounds: b_min %.4g, b_max %.4g", meanBMin, meanBMax))
        lines.append(String(format: "start: mean %.4g ± %.4g;  after %d up: %.4g ± %.4g;  after %d down: %.4g ± %.4g",
                            initialMean, initialStd, pulses, meanAfterUp, points[pulses - 1].std,
                            pulses, meanAfterDown, points[2 * pulses - 1].std))
        lines.append(String(format: "noise-free step at w = 0 (mean over devices): up %.4g, down %.4g",
                            meanUpStepAtZero, meanDownStepAtZero))
        lines.append(String(format: "symmetry point: mean %.4g, std %.4g over devices", symmetryPointMean, symmetryPointStd))
        return lines.joined(separator: "\n")
    }
}
