import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "The pulsed update"–1.4: the deterministic pulse types (mean_count, deterministic_implicit) apply
/// the same expected number of coincidences as the stochastic ones, up to their rounding; the
/// floating-point types (none, none_with_device) apply −η·d·xᵀ exactly.
@Suite struct PulseTypeTests {
    static let x: [Float] = [0.9, -0.55, 0.3, 0.12, -0.8]
    static let d: [Float] = [0.7, -0.25, 0.45]

    /// Per-sample pulse counts (signed: + = up) of a noise-free constant-step array with
    /// Δ = 2⁻¹⁰, for `samples` updates with the same x and d.
    static func signedCounts(_ type: PulseType, samples: Int, eta: Float, p base: UpdateParameters = UpdateParameters()) -> [[Double]] {
        var c = DeviceConfig.quiet(.constantStep)
        c.dwMin = 1.0 / 1024
        c.wMax = 1000
        c.wMin = -1000
        let a = makeArray(c, rows: d.count, cols: x.count, seed: 12)
        let engine = makeEngine(a, seed: 13)
        var p = base
        p.pulseType = type
        var out = [[Double]](repeating: [], count: a.count)
        for _ in 0..<samples {
            let before = a.hiddenWeights()
            x.withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
            let after = a.hiddenWeights()
            for k in 0..<a.count { out[k].append(Double(after[k] - before[k]) * 1024) }
        }
        return out
    }

    /// mean_count: n_ij = rint(c_d,i/BL · c_x,j) with c = rint(BL·p) — exactly, every sample;
    /// and within the rounding bound 0.5 + ½p_x + ½p_d + ¼/BL of the stochastic mean
    /// BL·p_x·p_d (|c_x − BL p_x| ≤ ½, |c_d − BL p_d| ≤ ½, plus the final rint).
    /// stochastic_compressed and stochastic: the mean of N = 20 000 samples within 5 SE
    /// (SE = √(BL·p(1−p)/N)) of BL·p_x·p_d = η|x||d|/ε; and the stochastic mean agrees with
    /// the mean_count count within the rounding bound plus 5 SE.
    @Test func meanCountAndStochasticAgreeInTheMean() {
        let eps: Float = 1.0 / 1024
        let eta: Float = 12 * eps // k = 12·0.9·0.7 = 7.56 ⇒ BL 8 with UBLM
        let p = UpdateParameters()
        let plan = UpdatePlan.make(eta: eta, granularity: eps, xMax: 0.9, dMax: 0.7, parameters: p)
        let bl = Double(plan.bl)
        let samples = 20_000
        let meanCount = Self.signedCounts(.meanCount, samples: 3, eta: eta)
        let stochastic = Self.signedCounts(.stochasticCompressed, samples: samples, eta: eta)
        let stochasticOrdered = Self.signedCounts(.stochastic, samples: samples, eta: eta)
        for i in 0..<Self.d.count {
            for j in 0..<Self.x.count {
                let k = i * Self.x.count + j
                let px = Double(abs(Self.x[j]) * plan.scaleX), pd = Double(abs(Self.d[i]) * plan.scaleD)
                let sign: Double = Self.x[j] * Self.d[i] > 0 ? -1 : 1
                let expected = sign * bl * px * pd
                // The deterministic formula, evaluated here.
                let cx = min(max((bl * px).rounded(.toNearestOrEven), 0), bl)
                let cd = min(max((bl * pd).rounded(.toNearestOrEven), 0), bl)
                let n = sign * (cd / bl * cx).rounded(.toNearestOrEven)
                #expect(meanCount[k].allSatisfy { $0 == n }, "mean_count (\(i),\(j)): \(meanCount[k]) vs \(n)")
                let bound = 0.5 + 0.5 * px + 0.5 * pd + 0.25 / bl
                #expect(abs(n - expected) <= bound)
                let se = (bl * px * pd * (1 - px * pd) / Double(samples)).squareRoot()
                for (name, counts) in [("stochastic_compressed", stochastic[k]), ("stochastic", stochasticOrdered[k])] {
                    let m = SampleStats(counts).mean
                    #expect(abs(m - expected) <= 5 * se, "\(name) (\(i),\(j)): mean \(m) vs \(expected)")
                    #expect(abs(m - n) <= bound + 5 * se, "\(name) vs mean_count (\(i),\(j)): \(m) vs \(n)")
                }
            }
        }
    }

    /// deterministic_implicit: n_ij = rint(BL·d̃_i·x̃_j) with x̃ = clamp(p_x, 0, 1) (no
    /// discretisation), i.e. within ½ of BL·p_x·p_d; with x_res_implicit = d_res_implicit =
    /// 0.25 the probabilities are first rounded to multiples of 0.25.
    @Test func deterministicImplicitCounts() {
        let eps: Float = 1.0 / 1024
        let eta: Float = 12 * eps
        let p = UpdateParameters()
        let plan = UpdatePlan.make(eta: eta, granularity: eps, xMax: 0.9, dMax: 0.7, parameters: p)
        let bl = Double(plan.bl)
        let counts = Self.signedCounts(.deterministicImplicit, samples: 2, eta: eta)
        var q = p
        q.xResImplicit = 0.25
        q.dResImplicit = 0.25
        let quantised = Self.signedCounts(.deterministicImplicit, samples: 2, eta: eta, p: q)
        for i in 0..<Self.d.count {
            for j in 0..<Self.x.count {
                let k = i * Self.x.count + j
                let px = Double(abs(Self.x[j]) * plan.scaleX), pd = Double(abs(Self.d[i]) * plan.scaleD)
                let sign: Double = Self.x[j] * Self.d[i] > 0 ? -1 : 1
                let n = sign * (bl * min(pd, 1) * min(px, 1)).rounded(.toNearestOrEven)
                #expect(counts[k].allSatisfy { $0 == n }, "(\(i),\(j)): \(counts[k]) vs \(n)")
                #expect(abs(n - sign * bl * px * pd) <= 0.5 + 1e-9)
                let qx = min((px / 0.25).rounded(.toNearestOrEven) * 0.25, 1)
                let qd = min((pd / 0.25).rounded(.toNearestOrEven) * 0.25, 1)
                let nq = sign * (bl * qd * qx).rounded(.toNearestOrEven)
                #expect(quantised[k].allSatisfy { $0 == nq }, "quantised (\(i),\(j)): \(quantised[k]) vs \(nq)")
            }
        }
    }

    /// none: W ← W − η·d·xᵀ exactly (no bounds); none_with_device: the same, clipped to each
    /// device's bounds (BLAS: compared with a tolerance of a few float roundings).
    @Test func floatingPointPulseTypes() {
        var c = DeviceConfig(model: .softBounds)
        c.wMax = 0.5
        c.wMin = -0.5
        let eta: Float = 1
        for type in [PulseType.none, .noneWithDevice] {
            let a = makeArray(c, rows: 3, cols: 5, seed: 14)
            let engine = makeEngine(a, seed: 15)
            a.setAll(0.2)
            var p = UpdateParameters()
            p.pulseType = type
            Self.x.withUnsafeBufferPointer { xp in
                Self.d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
            var outside = 0
            for i in 0..<3 {
                for j in 0..<5 {
                    let k = i * 5 + j
                    var expected = 0.2 - eta * Self.d[i] * Self.x[j]
                    if expected > a.bMax[k] || expected < a.bMin[k] { outside += 1 }
                    if type == .noneWithDevice { expected = min(max(expected, a.bMin[k]), a.bMax[k]) }
                    #expect(isClose(a.hidden[k], expected, rtol: 1e-6, atol: 1e-6), "\(type) (\(i),\(j))")
                }
            }
            #expect(outside > 0, "some exact updates leave the device bounds (so clipping is tested)")
            #expect(engine.counters.total == 0)
        }
    }
}
