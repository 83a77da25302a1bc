import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "The pulsed update" and docs/devices.md, "The pulsed update": the pulse-train length BL and the probability scales A (d side)
/// and B (x side) under fixed BL, update management (UM), update BL management (UBLM),
/// um_grad_scale and gradient clipping — first `UpdatePlan.make` against values worked out by
/// hand, then the engine's pulse counts.
@Suite struct UpdatePlanTests {
    static func params(desired: Int = 31, fixed: Bool = true, um: Bool = true, ublm: Bool = true,
                       scale: Float = 1) -> UpdateParameters {
        var p = UpdateParameters()
        p.desiredBL = desired
        p.fixedBL = fixed
        p.updateManagement = um
        p.updateBLManagement = ublm
        p.umGradScale = scale
        return p
    }

    static func close(_ a: Float, _ b: Double, _ rel: Double = 1e-5) -> Bool {
        abs(Double(a) - b) <= rel * max(abs(b), 1e-12)
    }

    @Test func fixedBLWithoutManagement() {
        // BL = desired_bl, A = B = √(η/(ε·BL)) whatever x and d.
        let p = Self.params(desired: 31, fixed: true, um: false, ublm: false)
        let plan = UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 0.3, dMax: 5, parameters: p)
        let ab = (0.01 / (0.001 * 31)).squareRoot()
        #expect(plan.bl == 31)
        #expect(Self.close(plan.scaleX, ab) && Self.close(plan.scaleD, ab))
        // η = 0 ⇒ no pulses.
        #expect(UpdatePlan.make(eta: 0, granularity: 0.001, xMax: 1, dMax: 1, parameters: p).bl == 0)
    }

    /// Absurd learning rates and granularities (a user's `--lr 1e30`, a device with dw_min
    /// 1e-30) saturate instead of trapping: the train length is capped at the largest accepted
    /// desired_bl, and a non-finite ratio still yields a finite plan.
    @Test func hugeRatiosAreCappedNotTrapped() {
        let variable = Self.params(desired: 10, fixed: false, um: false, ublm: false)
        for (eta, eps) in [(Float(1e30), Float(1e-3)), (0.1, 1e-30), (3e38, 1e-38), (.infinity, 1e-3)] {
            let plan = UpdatePlan.make(eta: eta, granularity: eps, xMax: 1, dMax: 1, parameters: variable)
            #expect(plan.bl == UpdateParameters.maxDesiredBL, "η \(eta), ε \(eps): BL \(plan.bl)")
        }
        let managed = Self.params(desired: 31, fixed: false, um: true, ublm: true)
        let plan = UpdatePlan.make(eta: 1e30, granularity: 1e-30, xMax: 1, dMax: 1, parameters: managed)
        #expect(plan.bl >= 1 && plan.bl <= 31)
    }

    @Test func variableBLWithoutManagement() {
        // fixed_bl off: ε·desired_bl < η ⇒ A = B = 1 and BL = ceil(η/ε).
        let p = Self.params(desired: 10, fixed: false, um: false, ublm: false)
        let long = UpdatePlan.make(eta: 0.0125, granularity: 0.001, xMax: 1, dMax: 1, parameters: p)
        #expect(long.bl == 13)
        #expect(long.scaleX == 1 && long.scaleD == 1)
        // ε·desired_bl ≥ η ⇒ BL = desired_bl, A = B = √(η/(ε·BL)).
        let short = UpdatePlan.make(eta: 0.005, granularity: 0.001, xMax: 1, dMax: 1, parameters: p)
        #expect(short.bl == 10)
        #expect(Self.close(short.scaleX, (0.5 as Double).squareRoot()) && Self.close(short.scaleD, (0.5 as Double).squareRoot()))
    }

    @Test func updateManagementWithoutBLManagement() {
        // UM: BL = desired; k = η·x̂·d̂/ε = 0.01·0.5·2/0.001 = 10 ≤ 31 (no clipping);
        // A = √(η/(εBL))·√(x̂/d̂), B = √(η/(εBL))·√(d̂/x̂).
        let p = Self.params(desired: 31, fixed: true, um: true, ublm: false)
        let plan = UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 0.5, dMax: 2, parameters: p)
        let base = (0.01 / (0.001 * 31)).squareRoot()
        #expect(plan.bl == 31)
        #expect(Self.close(plan.scaleD, base * (0.5 / 2.0).squareRoot()))
        #expect(Self.close(plan.scaleX, base * (2.0 / 0.5).squareRoot()))
        // p_x(x_max) = p_d(d_max) = √(k/BL).
        #expect(Self.close(0.5 * plan.scaleX, (10.0 / 31).squareRoot()))
        #expect(Self.close(2 * plan.scaleD, (10.0 / 31).squareRoot()))
        // Zero input or error ⇒ no pulses.
        #expect(UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 0, dMax: 2, parameters: p).bl == 0)
        #expect(UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 1, dMax: 0, parameters: p).bl == 0)
    }

    @Test func blManagementWithSmallK() {
        // UBLM, k = 0.01·0.8·0.6/0.001 = 4.8 ≤ 31 ⇒ BL = ceil(k) = 5 and
        // p_x(x_max) = p_d(d_max)·um_grad_scale = √(k/BL).
        let p = Self.params()
        let plan = UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 0.8, dMax: 0.6, parameters: p)
        #expect(plan.bl == 5)
        #expect(Self.close(0.8 * plan.scaleX, (4.8 / 5).squareRoot()))
        #expect(Self.close(0.6 * plan.scaleD, (4.8 / 5).squareRoot()))
        // A·B = η/(ε·BL) (the expected count BL·p_x·p_d is η|x||d|/ε).
        #expect(Self.close(plan.scaleX * plan.scaleD, 0.01 / (0.001 * 5)))
        // Very small k still gives BL ≥ 1.
        let tiny = UpdatePlan.make(eta: 1e-4, granularity: 0.001, xMax: 0.1, dMax: 0.1, parameters: p)
        #expect(tiny.bl == 1)
        // UM off but UBLM on: update management is implied (docs/devices.md, "The pulsed update" initialisation).
        let implied = UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 0.8, dMax: 0.6,
                                      parameters: Self.params(um: false, ublm: true))
        #expect(implied == plan)
    }

    @Test func blManagementWithLargeKClipsTheDSide() {
        // k = 0.1·1·2/0.001 = 200 > 31 ⇒ BL = 31, d̂ ← d̂·31/k; p_x(x_max) = 1 exactly and
        // p_d(d_max) = k/BL > 1 (saturated: fires in every slot).
        let p = Self.params()
        let plan = UpdatePlan.make(eta: 0.1, granularity: 0.001, xMax: 1, dMax: 2, parameters: p)
        #expect(plan.bl == 31)
        #expect(Self.close(1 * plan.scaleX, 1))
        #expect(Self.close(2 * plan.scaleD, 200.0 / 31))
        // UM on, UBLM off: the same clipping.
        let um = UpdatePlan.make(eta: 0.1, granularity: 0.001, xMax: 1, dMax: 2, parameters: Self.params(ublm: false))
        #expect(um.bl == 31 && Self.close(um.scaleX, 1) && Self.close(2 * um.scaleD, 200.0 / 31))
    }

    @Test func umGradScale() {
        // d̂ = s·d_max with s = 0.25: k = 0.01·0.8·(0.25·0.6)/0.001 = 1.2 ⇒ BL = 2;
        // p_x(x_max) = √(k/BL), p_d(d_max) = √(k/BL)/s.
        let p = Self.params(scale: 0.25)
        let plan = UpdatePlan.make(eta: 0.01, granularity: 0.001, xMax: 0.8, dMax: 0.6, parameters: p)
        #expect(plan.bl == 2)
        #expect(Self.close(0.8 * plan.scaleX, (1.2 / 2).squareRoot()))
        #expect(Self.close(0.6 * plan.scaleD * 0.25, (1.2 / 2).squareRoot()))
        // Clipping earlier: k = 0.1·1·(0.5·2)/0.001 = 100 > 31 ⇒ p_x(x_max) = 1,
        // p_d(d_max) = k/(BL·s) = 100/(31·0.5).
        let clip = UpdatePlan.make(eta: 0.1, granularity: 0.001, xMax: 1, dMax: 2, parameters: Self.params(scale: 0.5))
        #expect(clip.bl == 31 && Self.close(clip.scaleX, 1) && Self.close(2 * clip.scaleD, 100.0 / (31 * 0.5)))
    }

    // MARK: - The engine's pulse counts

    /// Runs `samples` updates of a noise-free constant-step array (Δ = 2⁻¹⁰, wide bounds) and
    /// returns the pulse counts n_ij per sample.
    static func counts(x: [Float], d: [Float], eta: Float, p: UpdateParameters, samples: Int, seed: UInt64) -> [[Double]] {
        var c = DeviceConfig.quiet(.constantStep)
        c.dwMin = 1.0 / 1024
        c.wMax = 1000
        c.wMin = -1000
        let array = makeArray(c, rows: d.count, cols: x.count, seed: seed)
        let engine = makeEngine(array, seed: seed)
        var out = [[Double]](repeating: [], count: d.count * x.count)
        let negX = x.map { -$0 }
        for r in 0..<samples {
            let before = array.hiddenWeights()
            (r % 2 == 0 ? x : negX).withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
            let after = array.hiddenWeights()
            for k in 0..<out.count { out[k].append(abs(Double(after[k] - before[k])) * 1024) }
        }
        return out
    }

    /// docs/devices.md, "The pulsed update": with η·x_max·d_max/ε ≫ desired_bl, BL = desired_bl, the x side fires with
    /// p_x(x_max) = 1 and the d side saturates: element (argmax d, argmax x) gets exactly BL
    /// coincidences every sample, and rows with p_d ≥ 1 get Binomial(BL, p_x,j) (mean
    /// BL·|x_j|/x_max; 5 SE with SE = √(BL·p(1−p)/N)).
    @Test func engineCountsUnderClipping() {
        let x: [Float] = [1.0, 0.5, 0.25]
        let d: [Float] = [2.0, 1.0, 0.1]
        let eps: Float = 1.0 / 1024
        let eta: Float = 0.2 // k = 0.2·1·2/ε ≈ 410 ≫ 31
        let p = UpdateParameters()
        let plan = UpdatePlan.make(eta: eta, granularity: eps, xMax: 1, dMax: 2, parameters: p)
        #expect(plan.bl == 31)
        let samples = 4000
        let n = Self.counts(x: x, d: d, eta: eta, p: p, samples: samples, seed: 8)
        #expect(n[0].allSatisfy { $0 == 31 }, "the (d_max, x_max) element fires in every slot")
        for i in 0..<2 { // p_d = |d_i|·A ≥ 1 for d = 2 and 1 (k/BL·|d_i|/d_max ≥ 6.6)
            #expect(Double(d[i] * plan.scaleD) >= 1)
            for j in 0..<3 {
                let px = Double(x[j])
                let mean = SampleStats(n[i * 3 + j]).mean
                let se = (31 * px * (1 - px) / Double(samples)).squareRoot()
                if px == 1 {
                    #expect(mean == 31)
                } else {
                    #expect(abs(mean - 31 * px) <= 5 * se, "row \(i) col \(j): \(mean) vs \(31 * px)")
                }
            }
        }
        // Row 2 (d = 0.1): p_d = 0.1·A < 1, mean BL·p_x·p_d.
        let pd = Double(d[2] * plan.scaleD)
        #expect(pd < 1)
        for j in 0..<3 {
            let pr = Double(x[j]) * pd
            let se = (31 * pr * (1 - pr) / Double(samples)).squareRoot()
            #expect(abs(SampleStats(n[6 + j]).mean - 31 * pr) <= 5 * se)
        }
    }

    /// UBLM with k ≤ desired_bl: BL = ceil(k) and the (argmax d, argmax x) element gets k
    /// coincidences on average (p_x·p_d·BL = k); all elements η|x_j||d_i|/ε. 5 SE as above.
    @Test func engineCountsWithBLManagement() {
        let x: [Float] = [0.8, -0.4, 0.1]
        let d: [Float] = [0.6, 0.3]
        let eps: Float = 1.0 / 1024
        let eta: Float = 4.8 * eps / (0.8 * 0.6) // k = 4.8 ⇒ BL = 5
        let p = UpdateParameters()
        let plan = UpdatePlan.make(eta: eta, granularity: eps, xMax: 0.8, dMax: 0.6, parameters: p)
        #expect(plan.bl == 5)
        let samples = 20_000
        let n = Self.counts(x: x, d: d, eta: eta, p: p, samples: samples, seed: 9)
        for i in 0..<2 {
            for j in 0..<3 {
                let px = Double(abs(x[j]) * plan.scaleX), pd = Double(abs(d[i]) * plan.scaleD)
                let pr = px * pd
                let expected = Double(eta * abs(x[j]) * abs(d[i]) / eps)
                #expect(abs(5 * pr - expected) < 1e-4 * expected)
                let se = (5 * pr * (1 - pr) / Double(samples)).squareRoot()
                let mean = SampleStats(n[i * 3 + j]).mean
                #expect(abs(mean - expected) <= 5 * se, "(\(i),\(j)): \(mean) vs \(expected)")
                #expect(n[i * 3 + j].allSatisfy { $0 <= 5 }, "never more than BL coincidences")
            }
        }
    }
}
