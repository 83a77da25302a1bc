import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "Device models" (every pulse is followed by clipping to [b_min, b_max] on the conductance) and
/// the symmetry points of §2.3/§2.8.
@Suite struct BoundsAndSymmetryTests {
    /// Noisy devices with device-to-device spreads, including the noisiest presets.
    static var noisyConfigs: [(String, DeviceConfig)] {
        var list: [(String, DeviceConfig)] = DevicePresets.names.map { ($0, try! DevicePresets.device($0)) }
        var l = DeviceConfig(model: .linearStep)
        l.gammaUp = 0.3; l.gammaDown = -0.4; l.allowIncreasing = true; l.multNoise = false; l.dwMinStd = 2; l.dwMin = 0.02
        list.append(("linear_step increasing steps", l))
        var s = DeviceConfig(model: .softBounds)
        s.dwMin = 0.05; s.dwMinStd = 3; s.multNoise = false
        list.append(("soft_bounds additive, large noise", s))
        var r = DeviceConfig(model: .softBoundsReference)
        r.dwMin = 0.02; r.dwMinStd = 2; r.referenceMean = 0.3; r.referenceStd = 0.2; r.slopeUpDtod = 0.3; r.slopeDownDtod = 0.3
        list.append(("soft_bounds_reference with offsets", r))
        var p = DeviceConfig(model: .powStepReference)
        p.dwMin = 0.02; p.dwMinStd = 1; p.referenceStd = 0.1; p.subtractSymmetryPoint = true
        list.append(("pow_step_reference", p))
        var pw = DeviceConfig(model: .piecewiseStep)
        pw.dwMin = 0.03; pw.dwMinStd = 1.5; pw.piecewiseUp = [2, 1, 0.5]; pw.piecewiseDown = [0.5, 1, 2]
        list.append(("piecewise_step", pw))
        var ps = DeviceConfig(model: .powStep)
        ps.dwMin = 0.03; ps.dwMinStd = 1; ps.powGamma = 2
        list.append(("pow_step", ps))
        return list
    }

    /// Conductance of every device within its bounds, allowing the rounding of g = w + ref
    /// (w is stored as g − ref after clipping g: two float roundings of values ≤ |b| + |ref|).
    static func violations(_ a: PulsedDeviceArray) -> [String] {
        var out: [String] = []
        for k in 0..<a.count {
            let r = a.reference?[k] ?? 0
            let g = a.hidden[k] + r
            let tol = Float(floatTolerance(Double(max(abs(a.bMax[k]), abs(a.bMin[k])) + abs(r)), ulps: 2))
            if !(g >= a.bMin[k] - tol && g <= a.bMax[k] + tol) {
                out.append("device \(k): g = \(g) outside [\(a.bMin[k]), \(a.bMax[k])]")
            }
        }
        return out
    }

    /// Random long pulse sequences — single pulses, runs of 1…40 pulses of one device (the
    /// closed-form path), whole-array pulses, and engine updates with long saturated pulse
    /// trains (BL 31 and 100, dense rows) — never leave any device's [b_min, b_max].
    @Test(arguments: 0..<16) func boundsHoldForAnyPulseSequence(_ index: Int) {
        let (name, config) = Self.noisyConfigs[index]
        let rows = 12, cols = 24
        let a = makeArray(config, rows: rows, cols: cols, seed: UInt64(500 + index))
        let engine = makeEngine(a, seed: UInt64(600 + index))
        let noise = TestNoise(seed: UInt64(700 + index))
        var g = Xoshiro256(seed: UInt64(800 + index))
        // Start anywhere (including beyond the bounds: set_weights clips).
        a.set((0..<a.count).map { _ in 3 * (2 * g.nextUniform() - 1) })
        #expect(Self.violations(a).isEmpty, "\(name) after set_weights")
        var x = [Float](repeating: 0, count: cols), d = [Float](repeating: 0, count: rows)
        var atBound = 0
        for round in 0..<120 {
            switch round % 4 {
            case 0:
                for _ in 0..<200 {
                    let i = Int(g.next() % UInt64(rows)), j = Int(g.next() % UInt64(cols))
                    a.pulse(row: i, col: j, count: 1 + Int(g.next() % 40), down: g.next() & 1 == 0, &noise.source)
                }
            case 1:
                let down = g.next() & 1 == 0
                for _ in 0..<30 { a.pulseAll(down: down, &noise.source) }
            default:
                // Saturated updates: k = η·x_max·d_max/ε ≫ BL.
                for j in 0..<cols { x[j] = 2 * g.nextUniform() - 1 }
                for i in 0..<rows { d[i] = g.nextGaussian() }
                var p = UpdateParameters()
                p.desiredBL = round % 4 == 2 ? 31 : 100
                let eta = (round % 8 < 4 ? 1 : -1) * 200 * a.granularity
                x.withUnsafeBufferPointer { xp in
                    d.withUnsafeBufferPointer { dp in
                        engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                    }
                }
            }
            let v = Self.violations(a)
            #expect(v.isEmpty, "\(name), round \(round): \(v.prefix(3))")
            if !v.isEmpty { break }
            atBound += (0..<a.count).filter { k in
                let gk = a.conductance(k)
                return abs(gk - a.bMax[k]) < 1e-6 || abs(gk - a.bMin[k]) < 1e-6
            }.count
        }
        // The sequences did reach the bounds (else the test would not test clipping), except
        // for devices whose steps vanish at the bounds (pow_step, multiplicative soft bounds)
        // or are too small to get there.
        if config.dwMin >= 0.001 && config.model != .powStep && !(config.model == .softBounds && config.multNoise) {
            #expect(atBound > 0, "\(name): no device reached a bound")
        }
    }

    /// A soft-bounds device driven by random ± pulses (fair coin per pulse) settles at its
    /// symmetry point: the expected change ½(Δ⁺(1 − g/b⁺) − Δ⁻(1 − g/b⁻)) is linear in g and
    /// vanishes at sp, so the stationary mean is sp exactly (clipping is negligible: the
    /// stationary std is ~0.06, sp is ≥ 0.3 from the bounds).
    ///
    /// Tolerance: the walk is an AR(1) process g_{t+1} − sp ≈ (1 − λ)(g_t − sp) + noise with
    /// λ = ½(Δ⁺/b⁺ + Δ⁻/|b⁻|); the mean of T samples (after burn-in) has variance
    /// ≈ Var(g)·(2 − λ)/(λ·T). We allow 5 such SE per device, with Var(g) estimated from the run.
    @Test(arguments: ["soft_bounds", "soft_bounds_reference", "soft_bounds_reference subtracted"])
    func softBoundsSettleAtSymmetryPoint(_ variant: String) {
        var c: DeviceConfig
        switch variant {
        case "soft_bounds":
            c = DeviceConfig(model: .softBounds)
            c.multNoise = true
        default:
            c = DeviceConfig(model: .softBoundsReference)
            c.referenceMean = 0.05
            c.referenceStd = 0.1
            c.subtractSymmetryPoint = variant.hasSuffix("subtracted")
            c.slopeUpDtod = 0.1
        }
        c.dwMin = 0.01
        c.dwMinDtod = 0.1
        c.dwMinStd = 0.3
        c.upDown = 0.25
        c.upDownDtod = 0.05
        c.wMaxDtod = 0.1
        c.wMinDtod = 0.1
        let rows = 4, cols = 8
        let a = makeArray(c, rows: rows, cols: cols, seed: 42)
        let sp = a.symmetryPoints()
        let noise = TestNoise(seed: 43)
        var coin = Xoshiro256(seed: 44)
        let burnIn = 2000, steps = 200_000
        for k in 0..<a.count {
            let i = k / cols, j = k % cols
            var s = SampleStats()
            for t in 0..<(burnIn + steps) {
                a.pulse(row: i, col: j, count: 1, down: coin.next() & 1 == 0, &noise.source)
                if t >= burnIn { s.add(Double(a.hidden[k])) }
            }
            let lambda = 0.5 * Double(a.stepUp[k] / a.bMax[k] - a.stepDown[k] / a.bMin[k])
            let se = (s.variance * (2 - lambda) / (lambda * Double(steps))).squareRoot()
            #expect(abs(s.mean - Double(sp[k])) <= 5 * se,
                    "\(variant) device \(k): time mean \(s.mean), symmetry point \(sp[k]), SE \(se)")
        }
        // The symmetry points differ from 0 (up_down 0.25) unless subtracted, so the test can fail.
        if variant == "soft_bounds" {
            #expect(sp.allSatisfy { $0 > 0.02 })
        }
    }

    /// docs/devices.md, "Device models"/§2.8: SoftBoundsReference with subtract_symmetry_point adds the analytic sp
    /// = (Δ⁺ − Δ⁻)/(Δ⁺/b_max − Δ⁻/b_min) to the reference, so the visible symmetry point is
    /// −(reference_mean + reference_std·ξ): exactly −reference_mean with reference_std 0.
    @Test func subtractedSymmetryPointIsMinusTheReferenceOffset() {
        var c = DeviceConfig(model: .softBoundsReference)
        c.upDown = 0.3
        c.referenceMean = 0.07
        c.referenceStd = 0
        c.subtractSymmetryPoint = true
        let a = makeArray(c, rows: 10, cols: 10, seed: 3)
        let sp = a.symmetryPoints()
        for k in 0..<a.count {
            let up = Double(a.stepUp[k]), dn = Double(a.stepDown[k]), hi = Double(a.bMax[k]), lo = Double(a.bMin[k])
            let analytic = (up - dn) / (up / hi - dn / lo)
            #expect(abs(Double(a.reference![k]) - (0.07 + analytic)) <= floatTolerance(1, ulps: 16), "reference of device \(k)")
            #expect(abs(Double(sp[k]) + 0.07) <= floatTolerance(1, ulps: 16), "visible symmetry point of device \(k): \(sp[k])")
        }
        // With reference_std > 0 the visible symmetry points are −(reference_mean + σ_r ξ):
        // mean −reference_mean, std σ_r over devices (5 SE: σ_r/√n and σ_r/√(2n)).
        c.referenceStd = 0.05
        let b = makeArray(c, rows: 50, cols: 50, seed: 4)
        let s = SampleStats(b.symmetryPoints())
        #expect(abs(s.mean + 0.07) <= 5 * 0.05 / 50)
        #expect(abs(s.std - 0.05) <= 5 * 0.05 / (2 * 2500.0).squareRoot())
        // PowStepReference: iterative estimate; at the visible symmetry point a noise-free up
        // pulse and a down pulse cancel (to the O(Δ/R) accuracy of the down/up pair iteration).
        var p = DeviceConfig(model: .powStepReference)
        p.powGamma = 1.5; p.powUpDown = 0.3; p.referenceMean = -0.04; p.subtractSymmetryPoint = true
        let q = makeArray(p, rows: 4, cols: 4, seed: 5)
        let qsp = q.symmetryPoints()
        for k in 0..<q.count {
            // Visible symmetry point −reference_mean = +0.04.
            #expect(abs(Double(qsp[k]) - 0.04) < 1e-4, "pow_step_reference visible symmetry point \(qsp[k])")
            let up = q.meanStep(k, at: qsp[k], down: false), dn = q.meanStep(k, at: qsp[k], down: true)
            #expect(abs(up + dn) <= 0.02 * abs(up), "pow_step_reference: up \(up), down \(dn) at the symmetry point")
        }
    }
}
