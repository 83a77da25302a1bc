import Foundation
import CrossbarFoundation
import CrossbarPlot
import CrossbarDevices

/// The device models `crossbar fit` can fit to a pulse trace.
public enum FitModel: String, ConfigEnum {
    case softBounds = "soft_bounds"
    case linearStep = "linear_step"
    case piecewiseStep = "piecewise_step"
}

/// Fits a device model to one device's measured up/down pulse-response trace by linear least
/// squares (LAPACKE `dgels` through `DenseKernels/leastSquares(_:rows:cols:b:)`).
///
/// Every model here has a per-pulse change that is *linear in its parameters* given the state
/// before the pulse, w = G_{t−1}, and the pulse direction, so the measured changes
/// ΔG_t = G_t − G_{t−1} give one linear regression per direction:
///
/// - soft_bounds: up ΔG = Δ⁺ − (Δ⁺/b_max)·w, down ΔG = −Δ⁻ + (Δ⁻/b_min)·w — regress ΔG on
///   (1, w) separately for up and down pulses; Δ⁺ is the up intercept, b_max = −intercept/slope,
///   likewise Δ⁻, b_min.
/// - linear_step (mean_bound_reference): up ΔG = Δ⁺ − γ⁺Δ⁺·w/w_max, down ΔG = −Δ⁻ + γ⁻Δ⁻·w/w_min
///   with the hard bounds w_max, w_min taken from the trace's extremes (where the device clips);
///   pulses that end on a bound are left out of the regression.
/// - piecewise_step: the step is piecewise linear in w over K+1 equidistant nodes on
///   [w_min, w_max] (bounds from the extremes), i.e. ΔG = ±Σ_k c_k·h_k(w) with hat functions
///   h_k; least squares on the hat basis gives the node values (nodes without data take their
///   nearest fitted neighbour's value).
///
/// Then dw_min = max(Δ⁺, Δ⁻) and up_down = 1 − Δ⁻/Δ⁺ (Δ⁺ ≥ Δ⁻) or Δ⁺/Δ⁻ − 1 (so that spec
/// §2.2's Δ⁺ = (1 + up_bias)·dw_min, Δ⁻ = (1 + down_bias)·dw_min reproduce the fitted steps);
/// for piecewise_step dw_min is the mean step at the middle node and up_down 0. The
/// cycle-to-cycle noise is estimated from the residuals r_t as multiplicative noise (mult_noise
/// true): dw_min_std = √(Σ r² / Σ m²) with m_t the fitted step. One trace carries no
/// device-to-device information: all *_dtod spreads are 0.
///
/// Assumption: the conductance read after each pulse is the device state (no read noise); read
/// noise would bias the slopes toward 0 (errors in variables).
public struct DeviceFit: Sendable {
    public let model: FitModel
    /// The fitted device (in the trace's units, or in [−1, 1] units after `normalize`).
    public let config: DeviceConfig
    /// Root mean square of the per-pulse residuals r_t = ΔG_t − m_t over the fitted pulses
    /// (trace units after mapping).
    public let residualRMS: Double
    /// Number of pulses used in the regressions.
    public let pulsesUsed: Int
    /// The mapping applied before fitting: w = (G − center)/scale (center 0, scale 1 without
    /// normalisation).
    public let center: Double
    public let scale: Double
    /// Fitted per-direction steps (Δ⁺, Δ⁻) and the linear coefficients of the regressions
    /// (intercept, slope) for soft_bounds / linear_step (nil for piecewise_step).
    public let upCoefficients: (intercept: Double, slope: Double)?
    public let downCoefficients: (intercept: Double, slope: Double)?

    /// Fits `model` to `trace`. `nodes` is the number of nodes K+1 of piecewise_step (2…64).
    /// With `normalize`, conductances are first mapped linearly so that the fitted bounds become
    /// [−1, 1]; otherwise the fitted bounds must enclose 0 (w_min ≤ 0 ≤ w_max).
    public static func fit(_ trace: PulseTrace, model: FitModel, nodes: Int = 9, normalize: Bool = false) throws -> DeviceFit {
        guard nodes >= 2 && nodes <= 64 else {
            throw CrossbarError.invalidParameter(field: "nodes", value: "\(nodes)", allowed: "2…64")
        }
        let raw = try fitUnmapped(trace, model: model, nodes: nodes, center: 0, scale: 1)
        if !normalize {
            let c = raw.config
            if !(c.wMin <= 0 && c.wMax >= 0) {
                throw CrossbarError.invalidParameter(
                    field: "data", value: String(format: "fitted bounds [%.6g, %.6g]", Double(c.wMin), Double(c.wMax)),
                    allowed: "bounds enclosing 0 (w_min ≤ 0 ≤ w_max); pass --normalize to map the conductances to [−1, 1]")
            }
            return raw
        }
        let lo = Double(raw.config.wMin), hi = Double(raw.config.wMax)
        let center = 0.5 * (lo + hi), half = 0.5 * (hi - lo)
        return try fitUnmapped(trace.mapped(center: center, scale: half), model: model, nodes: nodes, center: center, scale: half)
    }

    /// One regression sample: the state before the pulse and the change it caused.
    struct Sample { var w: Double; var change: Double }

    static func fitUnmapped(_ trace: PulseTrace, model: FitModel, nodes: Int, center: Double, scale: Double) throws -> DeviceFit {
        let v = trace.values
        let top = v.max()!, bottom = v.min()!
        guard top > bottom else {
            throw CrossbarError.invalidParameter(field: "data", value: "a constant conductance \(top)", allowed: "a trace that changes")
        }
        // Pulses ending on a hard bound are clipped: their change is not the model's step.
        let clipTolerance = 1e-9 * max(abs(top), abs(bottom), top - bottom)
        let clips = model != .softBounds
        var up: [Sample] = [], down: [Sample] = []
        for t in 1..<v.count {
            let s = Sample(w: v[t - 1], change: v[t] - v[t - 1])
            switch trace.directions[t] {
            case .up:
                if clips && abs(v[t] - top) <= clipTolerance { continue }
                up.append(s)
            case .down:
                if clips && abs(v[t] - bottom) <= clipTolerance { continue }
                down.append(s)
            case .none:
                continue
            }
        }
        for (list, name) in [(up, "up"), (down, "down")] where list.count < 2 {
            throw CrossbarError.invalidParameter(field: "data", value: "\(list.count) usable \(name) pulses",
                                                 allowed: "at least 2 \(name) pulses that do not end on a bound")
        }
        var c = DeviceConfig(model: model == .softBounds ? .softBounds : (model == .linearStep ? .linearStep : .piecewiseStep))
        c.dwMinDtod = 0; c.wMaxDtod = 0; c.wMinDtod = 0; c.upDownDtod = 0
        c.gammaUpDtod = 0; c.gammaDownDtod = 0
        c.multNoise = true
        c.writeNoiseStd = 0
        var residuals: [Double] = [], predicted: [Double] = []
        var upCoef: (Double, Double)?, downCoef: (Double, Double)?
        switch model {
        case .softBounds, .linearStep:
            let (a1, b1) = try line(up, "up")
            let (a0, b0) = try line(down, "down")
            upCoef = (a1, b1)
            downCoef = (a0, b0)
            let dUp = a1, dDown = -a0
            guard dUp > 0 else { throw notMonotone("up", "increase the conductance at w = 0") }
            guard dDown > 0 else { throw notMonotone("down", "decrease the conductance at w = 0") }
            setSteps(&c, up: dUp, down: dDown)
            if model == .softBounds {
                guard b1 < 0 else { throw notMonotone("up", "shrink toward an upper bound (soft bounds need a negative slope; try linear_step)") }
                guard b0 < 0 else { throw notMonotone("down", "shrink toward a lower bound (soft bounds need a negative slope; try linear_step)") }
                c.wMax = Float(-a1 / b1)
                c.wMin = Float(-a0 / b0)
            } else {
                c.wMax = Float(top)
                c.wMin = Float(bottom)
                // β⁺ = −γ⁺Δ⁺/w_max, β⁻ = γ⁻Δ⁻/w_min.
                let gu = top != 0 ? -b1 * top / dUp : 0
                let gd = bottom != 0 ? b0 * bottom / dDown : 0
                c.gammaUp = Float(gu)
                c.gammaDown = Float(gd)
                c.allowIncreasing = gu < 0 || gd < 0
                c.meanBoundReference = true
            }
            for s in up { let m = a1 + b1 * s.w; predicted.append(m); residuals.append(s.change - m) }
            for s in down { let m = a0 + b0 * s.w; predicted.append(m); residuals.append(s.change - m) }
        case .piecewiseStep:
            c.wMax = Float(top)
            c.wMin = Float(bottom)
            let cu = try hatFit(up, nodes: nodes, lo: bottom, hi: top, sign: 1, "up")
            let cd = try hatFit(down, nodes: nodes, lo: bottom, hi: top, sign: -1, "down")
            let mid = nodes / 2
            var dw = 0.5 * (cu[mid] + cd[mid])
            if !(dw > 0) {
                let positive = (cu + cd).filter { $0 > 0 }
                dw = positive.isEmpty ? 0 : positive.reduce(0, +) / Double(positive.count)
            }
            guard dw > 0 else { throw notMonotone("up and down", "move the conductance") }
            c.dwMin = Float(dw)
            c.upDown = 0
            c.piecewiseUp = cu.map { Float(max($0 / dw, 0)) }
            c.piecewiseDown = cd.map { Float(max($0 / dw, 0)) }
            for s in up { let m = hatValue(cu, s.w, lo: bottom, hi: top); predicted.append(m); residuals.append(s.change - m) }
            for s in down { let m = -hatValue(cd, s.w, lo: bottom, hi: top); predicted.append(m); residuals.append(s.change - m) }
        }
        let ss = residuals.reduce(0) { $0 + $1 * $1 }
        let mm = predicted.reduce(0) { $0 + $1 * $1 }
        c.dwMinStd = mm > 0 ? Float((ss / mm).squareRoot()) : 0
        do { try c.validate() } catch let e as CrossbarError {
            throw CrossbarError.message("the fitted \(model.rawValue) parameters are not a valid device: \(e.description)")
        }
        return DeviceFit(model: model, config: c, residualRMS: (ss / Double(residuals.count)).squareRoot(),
                         pulsesUsed: residuals.count, center: center, scale: scale,
                         upCoefficients: upCoef.map { (intercept: $0.0, slope: $0.1) },
                         downCoefficients: downCoef.map { (intercept: $0.0, slope: $0.1) })
    }

    static func notMonotone(_ direction: String, _ what: String) -> CrossbarError {
        CrossbarError.invalidParameter(field: "data", value: "\(direction) pulses that do not \(what)",
                                       allowed: "a trace whose \(direction) pulses \(what)")
    }

    /// dw_min and up_down from the two step sizes (docs/devices.md, "Device-to-device sampling" biases).
    static func setSteps(_ c: inout DeviceConfig, up: Double, down: Double) {
        if up >= down {
            c.dwMin = Float(up)
            c.upDown = Float(1 - down / up)
        } else {
            c.dwMin = Float(down)
            c.upDown = Float(up / down - 1)
        }
    }

    /// Least squares change = a + b·w.
    static func line(_ samples: [Sample], _ what: String) throws -> (Double, Double) {
        var a: [Double] = [], y: [Double] = []
        a.reserveCapacity(2 * samples.count)
        for s in samples { a.append(1); a.append(s.w); y.append(s.change) }
        guard let x = DenseKernels.leastSquares(a, rows: samples.count, cols: 2, b: y), x.allSatisfy(\.isFinite) else {
            throw CrossbarError.invalidParameter(field: "data", value: "\(what) pulses all at one conductance",
                                                 allowed: "\(what) pulses from at least two different conductances")
        }
        return (x[0], x[1])
    }

    /// The hat-basis coordinates of w: (q, t) with weight 1 − t on node q and t on node q+1,
    /// as in the PiecewiseStep kernel (docs/devices.md, "Device models").
    static func hat(_ w: Double, nodes: Int, lo: Double, hi: Double) -> (Int, Double) {
        let k = nodes - 1
        let u = max((w - lo) / (hi - lo) * Double(k), 0)
        let q = min(Int(u), k - 1)
        return (q, min(u - Double(q), 1))
    }

    static func hatValue(_ c: [Double], _ w: Double, lo: Double, hi: Double) -> Double {
        let (q, t) = hat(w, nodes: c.count, lo: lo, hi: hi)
        return (1 - t) * c[q] + t * c[q + 1]
    }

    /// Node values c (step magnitudes) from sign·change = Σ_k c_k·h_k(w); nodes without data
    /// take the value of their nearest fitted node.
    static func hatFit(_ samples: [Sample], nodes: Int, lo: Double, hi: Double, sign: Double, _ what: String) throws -> [Double] {
        var weight = [Double](repeating: 0, count: nodes)
        for s in samples {
            let (q, t) = hat(s.w, nodes: nodes, lo: lo, hi: hi)
            weight[q] += 1 - t
            weight[q + 1] += t
        }
        let used = (0..<nodes).filter { weight[$0] > 1e-6 }
        guard used.count >= 1, samples.count >= used.count else {
            throw CrossbarError.invalidParameter(field: "data", value: "\(samples.count) usable \(what) pulses",
                                                 allowed: "enough \(what) pulses to fit \(nodes) nodes")
        }
        var column = [Int](repeating: -1, count: nodes)
        for (i, k) in used.enumerated() { column[k] = i }
        var a = [Double](repeating: 0, count: samples.count * used.count), y: [Double] = []
        for (r, s) in samples.enumerated() {
            let (q, t) = hat(s.w, nodes: nodes, lo: lo, hi: hi)
            if column[q] >= 0 { a[r * used.count + column[q]] += 1 - t }
            if column[q + 1] >= 0 { a[r * used.count + column[q + 1]] += t }
            y.append(sign * s.change)
        }
        guard let x = DenseKernels.leastSquares(a, rows: samples.count, cols: used.count, b: y), x.allSatisfy(\.isFinite) else {
            throw CrossbarError.invalidParameter(field: "data", value: "\(what) pulses that do not determine the \(nodes) nodes",
                                                 allowed: "\(what) pulses spread over the conductance range (or fewer --nodes)")
        }
        var c = [Double](repeating: .nan, count: nodes)
        for (i, k) in used.enumerated() { c[k] = x[i] }
        for k in 0..<nodes where c[k].isNaN {
            let nearest = used.min { abs($0 - k) < abs($1 - k) }!
            c[k] = x[column[nearest]]
        }
        return c
    }

    /// The fitted device's noise-free response to the trace's pulse sequence, starting at the
    /// trace's first value (in trace units, i.e. mapped back with center and scale).
    public func simulate(_ trace: PulseTrace) -> [Double] {
        var quiet = config
        quiet.dwMinStd = 0
        quiet.writeNoiseStd = 0
        var g = Xoshiro256(seed: 1)
        let array = PulsedDeviceArray(config: quiet, rows: 1, cols: 1, construction: &g)
        array.setWeights([Float((trace.values[0] - center) / scale)])
        var out: [Double] = [trace.values[0]]
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: NoiseSource.scratchFloats / 2) { scratch in
            var noise = NoiseSource(Xoshiro256(seed: 2), scratch: UnsafeMutableRawPointer(scratch.baseAddress!).assumingMemoryBound(to: Float.self))
            for t in 1..<trace.count {
                switch trace.directions[t] {
                case .up: array.pulse(row: 0, col: 0, count: 1, down: false, &noise)
                case .down: array.pulse(row: 0, col: 0, count: 1, down: true, &noise)
                case .none: break
                }
                out.append(Double(array.hidden[0]) * scale + center)
            }
        }
        return out
    }

    /// RMS difference between the measured trace and ``simulate(_:)`` (trace units).
    public func traceRMS(_ trace: PulseTrace) -> Double {
        let s = simulate(trace)
        var ss = 0.0
        for k in 0..<trace.count { ss += (s[k] - trace.values[k]) * (s[k] - trace.values[k]) }
        return (ss / Double(trace.count)).squareRoot()
    }

    /// Measured against fitted (noise-free simulation) over the pulse number.
    public func figure(_ trace: PulseTrace, title: String? = nil) -> Figure {
        let x = trace.pulses.map(Double.init)
        return Figure(title: title, xAxis: PlotAxis("pulse number"), yAxis: PlotAxis("conductance"),
                      series: [LineSeries("measured", x: x, y: trace.values, markers: trace.count <= 400),
                               LineSeries("fitted \(model.rawValue) (noise-free)", x: x, y: simulate(trace))])
    }
}
