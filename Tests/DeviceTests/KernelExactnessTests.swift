import CrossbarKit
import Foundation
import Testing
import TestSupport

/// Whatever shortcut the kernels take — n pulses of one device in closed form
/// (LinearStepKernel + AffinePulseSeries, with a 7σ clipping margin and a pulse-by-pulse
/// fallback), dense rows in a vectorised loop, single-slot rows from slot lists, multi-word bit
/// lines — the weights must follow the same distribution as applying the pulses one at a time.
///
/// Statistics (used throughout): for two independent samples, the mean difference as a z-score
/// (SE from both sample variances), the std difference as a z-score (SE from the fourth
/// moments), and the two-sample Kolmogorov–Smirnov statistic against its critical value. With
/// hundreds of comparisons we use per-comparison levels of about 10⁻⁶ (|z| ≤ 5.5, KS at
/// α = 10⁻⁶), and a pooled χ² of the z-scores per family (upper tail 10⁻⁶), which detects a
/// small systematic bias that no single comparison would.
@Suite struct KernelExactnessTests {
    struct Case {
        let name: String
        let config: DeviceConfig
        let counts: [Int]
    }

    static var cases: [Case] {
        // The benchmark device: soft bounds on the conductance, additive noise σ = 3.75, with a
        // reference offset (slopes Δ/b ≈ 0.002: the closed form is valid up to n = 31).
        var sb = DeviceConfig.quiet(.softBoundsReference)
        sb.dwMin = 0.002; sb.dwMinStd = 3.75; sb.wMax = 1.25; sb.wMin = -0.75; sb.referenceMean = 0.1
        // Steep linear steps, additive noise: |s| = γΔ/w_max = 0.004, n·|s| ≤ 0.124 (just inside
        // the series' validity |A| ≤ 1/8), so the closed form's curvature matters.
        var ls = DeviceConfig.quiet(.linearStep)
        ls.dwMin = 0.004; ls.dwMinStd = 0.5; ls.gammaUp = 1; ls.gammaDown = 1; ls.wMax = 1; ls.wMin = -1; ls.multNoise = false
        // Constant step (s = 0 branch of the closed form).
        var cs = DeviceConfig.quiet(.constantStep)
        cs.dwMin = 0.01; cs.dwMinStd = 0.3; cs.wMax = 0.6; cs.wMin = -0.6
        // Multiplicative noise (always pulse by pulse).
        var sm = DeviceConfig.quiet(.softBounds)
        sm.dwMin = 0.01; sm.dwMinStd = 0.3; sm.multNoise = true
        return [
            Case(name: "soft_bounds_reference additive", config: sb, counts: Array(2...31)),
            Case(name: "linear_step additive, steep", config: ls, counts: Array(2...31)),
            Case(name: "constant_step", config: cs, counts: [2, 3, 7, 16, 31]),
            Case(name: "soft_bounds multiplicative", config: sm, counts: [2, 9, 31]),
        ]
    }

    /// Starting conductances and directions: mid-range up and down, and a few steps from the
    /// bound the pulses move toward (where the trajectory clips, so the closed form must fall
    /// back and clipping must stay exact).
    static func starts(_ c: DeviceConfig) -> [(String, Float, Bool)] {
        let room = 4 * c.dwMin
        return [("mid up", 0.1, false), ("mid down", 0.1, true),
                ("near b_max up", c.wMax - room, false), ("near b_min down", c.wMin + room, true)]
    }

    /// Final visible weights of M devices with identical parameters after `n` pulses from g0,
    /// applied either as `pulse(count: n)` (closed form where valid) or n × `pulse(count: 1)`.
    static func finals(_ c: DeviceConfig, g0: Float, down: Bool, n: Int, oneAtATime: Bool, seed: UInt64) -> [Double] {
        let rows = 40, cols = 200
        let a = makeArray(c, rows: rows, cols: cols, seed: 1)
        a.setAll(g0 - (a.reference?[0] ?? 0))
        let noise = TestNoise(seed: seed)
        for i in 0..<rows {
            for j in 0..<cols {
                if oneAtATime {
                    for _ in 0..<n { a.pulse(row: i, col: j, count: 1, down: down, &noise.source) }
                } else {
                    a.pulse(row: i, col: j, count: n, down: down, &noise.source)
                }
            }
        }
        return a.hiddenWeights().map(Double.init)
    }

    @Test(arguments: 0..<4) func multiPulseClosedFormMatchesPulseByPulse(_ index: Int) {
        let c = Self.cases[index]
        let m = 8000
        let ksLimit = ksCritical(m, m, alpha: 1e-6)
        for (label, g0, down) in Self.starts(c.config) {
            var chiMean = 0.0, chiStd = 0.0
            var clippedSomewhere = false
            for n in c.counts {
                let seed = UInt64(index * 10_000 + n * 10) + (down ? 1 : 0) + (label.hasPrefix("near") ? 5 : 0)
                let fast = Self.finals(c.config, g0: g0, down: down, n: n, oneAtATime: false, seed: seed)
                let slow = Self.finals(c.config, g0: g0, down: down, n: n, oneAtATime: true, seed: seed + 100_000_000)
                let zm = meanDifferenceZ(fast, slow), zs = stdDifferenceZ(fast, slow)
                let ks = ksStatistic(fast, slow)
                chiMean += zm * zm
                chiStd += zs * zs
                // Conductance g = w + reference_mean (no spread here) at the bound = clipped.
                let bound = Double(down ? c.config.wMin : c.config.wMax)
                let ref = Double(c.config.model == .softBoundsReference ? c.config.referenceMean : 0)
                if slow.contains(where: { abs($0 + ref - bound) < 1e-6 }) { clippedSomewhere = true }
                #expect(abs(zm) <= 5.5 && abs(zs) <= 5.5 && ks <= ksLimit,
                        "\(c.name), \(label), n = \(n): mean z \(zm), std z \(zs), KS \(ks) (limit \(ksLimit))")
            }
            let chiLimit = chiSquareQuantile(dof: c.counts.count, upperTail: 1e-6)
            #expect(chiMean <= chiLimit && chiStd <= chiLimit,
                    "\(c.name), \(label): pooled χ² of mean z \(chiMean), of std z \(chiStd) (limit \(chiLimit))")
            if label.hasPrefix("near") && c.counts.count > 3 {
                #expect(clippedSomewhere, "\(c.name), \(label): the reference never reached the bound")
            }
        }
    }

    // MARK: - Whole-array updates against an explicit bit-line reference

    /// The slow reference of docs/devices.md, "The pulsed update"/§1.5: BL-slot Bernoulli trains for every x_j (p_x,j) and
    /// d_i (p_d,i), n_ij = number of common slots, and n_ij single pulses to device (i, j), down
    /// if sgn(d_i)·sgn(x_j) > 0.
    static func referenceUpdate(_ a: PulsedDeviceArray, x: [Float], d: [Float], eta: Float, p: UpdateParameters,
                                _ g: inout Xoshiro256, _ noise: TestNoise) {
        let plan = UpdatePlan.make(eta: eta, granularity: a.granularity, xMax: x.map(abs).max()!, dMax: d.map(abs).max()!,
                                   parameters: p)
        guard plan.bl > 0 else { return }
        // A train as bits (bit s of word s/64 set = fires in slot s), one uniform per slot.
        let words = (plan.bl + 63) / 64
        func train(_ prob: Float) -> [UInt64] {
            var t = [UInt64](repeating: 0, count: words)
            for s in 0..<plan.bl where prob >= 1 || g.nextUniform() < prob { t[s / 64] |= 1 << UInt64(s % 64) }
            return t
        }
        let xs = x.map { train(abs($0) * plan.scaleX) }
        let ds = d.map { train(abs($0) * plan.scaleD) }
        for i in 0..<d.count {
            for j in 0..<x.count {
                var n = 0
                for w in 0..<words { n += (xs[j][w] & ds[i][w]).nonzeroBitCount }
                let down = (d[i] > 0) == (x[j] > 0)
                for _ in 0..<n { a.pulse(row: i, col: j, count: 1, down: down, &noise.source) }
            }
        }
    }

    /// PulsedUpdateEngine.update against the reference, per element over R repeats of the same
    /// (x, d) from the same starting weights: dense rows (σ_d = 1, BL 31, d saturated: the SIMD
    /// row pass with closed forms and the pulse-by-pulse fallback), short trains (σ_d = 0.01,
    /// BL ≤ 2: rows firing in one slot through the SIMD row pass), sparse inputs (85 % of x
    /// zero, σ_d = 0.01: single-slot rows from the slot lists, other rows column by column),
    /// two-word masks (BL 50: the masks' high words) and multi-word bit lines (BL 100). 52
    /// columns: six SIMD blocks of eight and a tail of four columns done one by one. ReRamSB
    /// preset devices with reference offsets; rows 0 and 1 start a few steps from b_max and
    /// b_min (clipping inside dense rows and the fallback).
    /// Checks per element: |z| ≤ 5.5 for mean and std; pooled χ² over elements; and a KS test
    /// on all elements pooled after standardising both samples with the reference's per-element
    /// mean and std (same transformation on both sides, so equal distributions stay equal).
    @Test(arguments: ["dense rows", "short trains", "sparse inputs", "two-word masks", "multi-word"])
    func engineMatchesBitLineReference(_ variant: String) throws {
        var device = try DevicePresets.device("ReRamSB")
        device.referenceStd = 0.05
        let rows = 8, cols = 52
        var p = UpdateParameters()
        let sigmaD: Float = variant == "short trains" || variant == "sparse inputs" ? 0.01 : 1
        if variant == "multi-word" {
            p.desiredBL = 100
        } else if variant == "two-word masks" {
            p.desiredBL = 50
        }
        var g = Xoshiro256(seed: 61)
        let x = (0..<cols).map { j -> Float in
            let v = g.nextUniform()
            return variant == "sparse inputs" && j % 7 != 0 ? 0 : v
        }
        let d = (0..<rows).map { i -> Float in
            let v = sigmaD * g.nextGaussian()
            return i < 2 ? (i == 0 ? -abs(v) - sigmaD : abs(v) + sigmaD) : v // row 0 goes up, row 1 down
        }
        let eta: Float = 0.1
        let engineArray = makeArray(device, rows: rows, cols: cols, seed: 62)
        let referenceArray = makeArray(device, rows: rows, cols: cols, seed: 62)
        #expect(engineArray.stepUp.array == referenceArray.stepUp.array)
        // Starting weights: rows 0/1 three steps from b_max/b_min (conductance), others random.
        var start = [Float](repeating: 0, count: rows * cols)
        for k in 0..<start.count {
            let ref = engineArray.reference![k]
            switch k / cols {
            case 0: start[k] = engineArray.bMax[k] - 3 * engineArray.stepUp[k] - ref
            case 1: start[k] = engineArray.bMin[k] + 3 * engineArray.stepDown[k] - ref
            default: start[k] = 0.6 * (2 * g.nextUniform() - 1)
            }
        }
        let engine = makeEngine(engineArray, seed: 63)
        let noise = TestNoise(seed: 64)
        var bits = Xoshiro256(seed: 65)
        let repeats = variant == "multi-word" ? 1200 : 2500
        var fast = [[Double]](repeating: [], count: rows * cols), slow = fast
        for _ in 0..<repeats {
            engineArray.set(start)
            referenceArray.set(start)
            let s0 = engineArray.hiddenWeights()
            x.withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
            Self.referenceUpdate(referenceArray, x: x, d: d, eta: eta, p: p, &bits, noise)
            let e = engineArray.hiddenWeights(), r = referenceArray.hiddenWeights()
            for k in 0..<(rows * cols) {
                fast[k].append(Double(e[k] - s0[k]))
                slow[k].append(Double(r[k] - s0[k]))
            }
        }
        var chi = 0.0, dof = 0
        var pooledFast: [Double] = [], pooledSlow: [Double] = []
        var clipped = 0
        for k in 0..<(rows * cols) {
            let ss = SampleStats(slow[k])
            if ss.std == 0 {
                #expect(fast[k] == slow[k], "element \(k): both constant")
                continue
            }
            let zm = meanDifferenceZ(fast[k], slow[k]), zs = stdDifferenceZ(fast[k], slow[k])
            chi += zm * zm + zs * zs
            dof += 2
            #expect(abs(zm) <= 5.5 && abs(zs) <= 5.5, "\(variant) element \(k): mean z \(zm), std z \(zs)")
            pooledFast += fast[k].map { ($0 - ss.mean) / ss.std }
            pooledSlow += slow[k].map { ($0 - ss.mean) / ss.std }
            let bound = k / cols == 0 ? engineArray.bMax[k] : engineArray.bMin[k]
            if k / cols < 2 {
                clipped += slow[k].filter { abs($0 + Double(start[k] + engineArray.reference![k]) - Double(bound)) < 1e-6 }.count
            }
        }
        #expect(dof > 0)
        let chiLimit = chiSquareQuantile(dof: dof, upperTail: 1e-6)
        #expect(chi <= chiLimit, "\(variant): pooled χ² \(chi) over \(dof) z-scores (limit \(chiLimit))")
        let ks = ksStatistic(pooledFast, pooledSlow)
        let limit = ksCritical(pooledFast.count, pooledSlow.count, alpha: 1e-6)
        #expect(ks <= limit, "\(variant): pooled KS \(ks) (limit \(limit))")
        if variant != "short trains" && variant != "sparse inputs" {
            #expect(clipped > 0, "\(variant): rows 0/1 reached their bounds")
        }
        // Both sides applied the same expected number of pulses.
        #expect(engine.counters.total > 0)
    }
}
