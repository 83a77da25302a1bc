import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "Device models": the single-pulse step of every device model against its equation, evaluated
/// here in Double from the spec and the device's sampled (device-to-device) parameters.
/// Noise off: exact up to float rounding. Noise on: mean and std over many draws.
@Suite struct StepEquationTests {
    /// The spec's noise-free change of conductance g of device k by one pulse (before clipping).
    static func specStep(_ a: PulsedDeviceArray, _ k: Int, g: Double, down: Bool) -> Double {
        let c = a.config
        let up = Double(a.stepUp[k]), dn = Double(a.stepDown[k])
        let hi = Double(a.bMax[k]), lo = Double(a.bMin[k])
        switch c.model {
        case .constantStep:
            return down ? -dn : up
        case .linearStep:
            // step_up = Δ⁺(1 − γ⁺ g/R⁺), step_down = Δ⁻(1 − γ⁻ g/R⁻); γ± exact (no spread here).
            let rUp = c.meanBoundReference ? Double(c.wMax) : hi
            let rDown = c.meanBoundReference ? Double(c.wMin) : lo
            return down ? -dn * (1 - Double(c.gammaDown) * g / rDown) : up * (1 - Double(c.gammaUp) * g / rUp)
        case .softBounds:
            return down ? -dn * (1 - g / lo) : up * (1 - g / hi)
        case .softBoundsReference:
            // The g/b term is dropped when that bound does not enclose 0.
            return down ? -dn * (1 - (lo < 0 ? g / lo : 0)) : up * (1 - (hi > 0 ? g / hi : 0))
        case .expStep:
            let range = hi - lo
            if range <= 0 { return 0 }
            let z = 2 * Double(c.expA) * g / range + Double(c.expB)
            if down { return -max(1 - Double(c.aDown) * exp(-Double(c.gammaDown) * z), 0) * dn }
            return max(1 - Double(c.aUp) * exp(Double(c.gammaUp) * z), 0) * up
        case .powStep, .powStepReference:
            let range = hi - lo
            if range == 0 { return 0 }
            if down { return -dn * pow(max((g - lo) / range, 0), Double(a.powGammaDown![k])) }
            return up * pow(max((hi - g) / range, 0), Double(a.powGammaUp![k]))
        case .piecewiseStep:
            let v = (down ? c.piecewiseDown : c.piecewiseUp).map(Double.init)
            let delta = down ? -dn : up
            let kk = v.count - 1
            if kk == 0 || hi <= lo { return v[0] * delta }
            let u = max((g - lo) / (hi - lo) * Double(kk), 0)
            let q = min(Int(u), kk - 1)
            let t = min(u - Double(q), 1)
            return delta * ((1 - t) * v[q] + t * v[q + 1])
        case .floatingPoint, .ideal:
            preconditionFailure()
        }
    }

    /// The spec's cycle-to-cycle std of one pulse's change at conductance g (no clipping).
    static func specNoiseStd(_ a: PulsedDeviceArray, _ k: Int, g: Double, down: Bool) -> Double {
        let c = a.config
        let sigma = Double(c.dwMinStd)
        let step = specStep(a, k, g: g, down: down)
        let delta = Double(down ? a.stepDown[k] : a.stepUp[k])
        switch c.model {
        case .constantStep:
            return sigma * delta
        case .linearStep, .softBounds, .softBoundsReference:
            // mult_noise: (Δ + s·g)(1 + σξ); additive: Δ·σξ.
            return c.multNoise ? sigma * abs(step) : sigma * delta
        case .expStep:
            if c.dwMinStd > 0 && (c.dwMinStdAdd != 0 || c.dwMinStdSlope != 0) {
                return sigma * (abs(step) + Double(c.dwMinStdAdd) + Double(c.dwMinStdSlope) * abs(g))
            }
            return sigma * abs(step)
        default:
            return sigma * abs(step)
        }
    }

    /// Models and options under test, with device-to-device spreads on (the equation uses
    /// each device's own Δ±, bounds, exponents and reference).
    static var spreadConfigs: [(String, DeviceConfig)] {
        func spread(_ model: DeviceModel) -> DeviceConfig {
            var c = DeviceConfig(model: model)
            c.dwMin = 0.01
            c.dwMinDtod = 0.2
            c.dwMinStd = 0
            c.upDown = 0.1
            c.upDownDtod = 0.05
            c.wMax = 0.8
            c.wMin = -0.6
            c.wMaxDtod = 0.2
            c.wMinDtod = 0.2
            c.gammaUpDtod = 0
            c.gammaDownDtod = 0
            return c
        }
        var list: [(String, DeviceConfig)] = []
        list.append(("constant_step", spread(.constantStep)))
        for mult in [true, false] {
            for meanRef in [true, false] {
                var c = spread(.linearStep)
                c.gammaUp = 0.4; c.gammaDown = 0.7; c.multNoise = mult; c.meanBoundReference = meanRef
                list.append(("linear_step mult \(mult) mean_bound_reference \(meanRef)", c))
            }
            var s = spread(.softBounds)
            s.multNoise = mult
            list.append(("soft_bounds mult \(mult)", s))
            var r = spread(.softBoundsReference)
            r.multNoise = mult; r.referenceMean = 0.1; r.referenceStd = 0.05; r.slopeUpDtod = 0.1; r.slopeDownDtod = 0.1
            list.append(("soft_bounds_reference mult \(mult)", r))
        }
        var sp = spread(.softBoundsReference)
        sp.referenceStd = 0.05; sp.subtractSymmetryPoint = true
        list.append(("soft_bounds_reference subtract_symmetry_point", sp))
        var e = spread(.expStep)
        list.append(("exp_step", e))
        e = try! DevicePresets.device("ReRamES"); e.dwMinStd = 0; e.writeNoiseStd = 0
        list.append(("exp_step ReRamES", e))
        var p = spread(.powStep)
        p.powGamma = 1.7; p.powGammaDtod = 0.1; p.powUpDown = 0.2; p.powUpDownDtod = 0.05
        list.append(("pow_step", p))
        var pr = spread(.powStepReference)
        pr.powGamma = 0.8; pr.referenceMean = -0.05; pr.referenceStd = 0.03; pr.subtractSymmetryPoint = true
        list.append(("pow_step_reference", pr))
        var pw = spread(.piecewiseStep)
        pw.piecewiseUp = [1.6, 1.2, 1.0, 0.7, 0.2]
        pw.piecewiseDown = [0.1, 0.6, 1.0, 1.3, 1.5]
        list.append(("piecewise_step", pw))
        return list
    }

    /// Noise off: one pulse changes the conductance exactly as the equation says (then clips),
    /// from random starting points in [b_min, b_max] and from both bounds. Tolerance: a few
    /// float roundings of the conductance (8 ulp of max(|g|, |b|, 1)); steps are ~0.01, so a
    /// wrong equation shows as an error ≥ 10⁻⁴, far above it.
    @Test(arguments: 0..<15) func noiseFreeStepMatchesEquation(_ index: Int) {
        let (name, config) = Self.spreadConfigs[index]
        let rows = 8, cols = 16
        let a = makeArray(config, rows: rows, cols: cols, seed: UInt64(100 + index))
        let noise = TestNoise(seed: 7)
        var g = Xoshiro256(seed: UInt64(200 + index))
        // Starting conductances: inside, and exactly at the bounds for the first rows.
        var start = [Float](repeating: 0, count: a.count)
        for k in 0..<a.count {
            let u: Float = k < cols ? 0 : (k < 2 * cols ? 1 : 0.02 + 0.96 * g.nextUniform())
            let gk = a.bMin[k] + u * (a.bMax[k] - a.bMin[k])
            start[k] = gk - (a.reference?[k] ?? 0)
        }
        var worst = 0.0
        for down in [false, true] {
            a.set(start)
            let w0 = a.hiddenWeights()
            let g0 = (0..<a.count).map { Double(a.conductance($0)) }
            a.pulseAll(down: down, &noise.source)
            let w1 = a.hiddenWeights()
            for k in 0..<a.count {
                let lo = Double(a.bMin[k]), hi = Double(a.bMax[k])
                let expected = min(max(g0[k] + Self.specStep(a, k, g: g0[k], down: down), lo), hi) - g0[k]
                let got = Double(w1[k] - w0[k])
                let tol = floatTolerance(max(abs(g0[k]), abs(lo), abs(hi), 1))
                worst = max(worst, abs(got - expected) / tol)
                #expect(abs(got - expected) <= tol,
                        "\(name) device \(k) \(down ? "down" : "up") at g=\(g0[k]): got \(got), equation \(expected)")
                // meanStep is the same noise-free change.
                let ms = Double(a.meanStep(k, at: w0[k], down: down))
                #expect(abs(ms - expected) <= tol, "\(name) meanStep of device \(k)")
            }
        }
        #expect(worst <= 1)
    }

    /// Noise on: over N = 10⁴ devices with identical parameters at the same starting point,
    /// the one-pulse change has the equation's mean and the spec's cycle-to-cycle std.
    /// Tolerances: the mean of N draws has SE = std/√N, the sample std has SE ≈ std/√(2N)
    /// (Gaussian noise); we allow 5 SE each.
    @Test(arguments: 0..<13) func noisyStepMeanAndStd(_ index: Int) {
        func quiet(_ m: DeviceModel, sigma: Float) -> DeviceConfig {
            var c = DeviceConfig.quiet(m)
            c.dwMin = 0.01
            c.dwMinStd = sigma
            c.wMax = 1.0
            c.wMin = -0.8
            return c
        }
        var cases: [(String, DeviceConfig)] = []
        cases.append(("constant_step", quiet(.constantStep, sigma: 0.3)))
        for mult in [true, false] {
            var l = quiet(.linearStep, sigma: 0.5)
            l.gammaUp = 0.5; l.gammaDown = 0.9; l.multNoise = mult
            cases.append(("linear_step mult \(mult)", l))
            var s = quiet(.softBounds, sigma: 0.5)
            s.multNoise = mult
            cases.append(("soft_bounds mult \(mult)", s))
            var r = quiet(.softBoundsReference, sigma: 3.75)
            r.multNoise = mult; r.referenceMean = 0.2
            cases.append(("soft_bounds_reference mult \(mult)", r))
        }
        var e = quiet(.expStep, sigma: 0.6)
        cases.append(("exp_step", e))
        e.dwMinStdAdd = 0.004; e.dwMinStdSlope = 0.01
        cases.append(("exp_step complex noise", e))
        var p = quiet(.powStep, sigma: 0.4)
        p.powGamma = 1.5
        cases.append(("pow_step", p))
        var pr = quiet(.powStepReference, sigma: 0.4)
        pr.referenceMean = 0.1
        cases.append(("pow_step_reference", pr))
        var pw = quiet(.piecewiseStep, sigma: 0.3)
        pw.piecewiseUp = [1.5, 1.0, 0.5]; pw.piecewiseDown = [0.5, 1.0, 1.5]
        cases.append(("piecewise_step", pw))
        cases.append(("soft_bounds_reference write noise (hidden weight)", {
            var c = quiet(.softBoundsReference, sigma: 1); c.writeNoiseStd = 5; return c
        }()))
        let (name, config) = cases[index]
        let n = 10_000
        let a = makeArray(config, rows: 100, cols: 100, seed: UInt64(300 + index))
        let noise = TestNoise(seed: UInt64(400 + index))
        for w0 in [Float(-0.3), 0.25] {
            for down in [false, true] {
                a.setAll(w0)
                let before = a.hiddenWeights()
                a.pulseAll(down: down, &noise.source)
                let change = zip(a.hiddenWeights(), before).map { Double($0 - $1) }
                let g0 = Double(before[0]) + Double(a.reference?[0] ?? 0)
                let mean = Self.specStep(a, 0, g: g0, down: down)
                let std = Self.specNoiseStd(a, 0, g: g0, down: down)
                let s = SampleStats(change)
                #expect(abs(s.mean - mean) <= 5 * std / Double(n).squareRoot() + floatTolerance(1),
                        "\(name) w0=\(w0) \(down ? "down" : "up"): mean \(s.mean), equation \(mean)")
                #expect(abs(s.std - std) <= 5 * std / (2 * Double(n)).squareRoot() + floatTolerance(1),
                        "\(name) w0=\(w0) \(down ? "down" : "up"): std \(s.std), spec \(std)")
            }
        }
    }
}
