import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "The pulsed update" / docs/devices.md, "The pulsed update": the pulsed update is an unbiased estimate of W ← W − η·d·xᵀ, and
/// the number of coincidences on element (i, j) is Binomial(BL, p_x,j·p_d,i), with the joint
/// structure that elements of one row (column) share that row's (column's) pulse train.
@Suite struct ExpectedUpdateTests {
    /// Ideal constant-step device (no device-to-device spread, so Δ = dw_min; bounds ±100 never
    /// reached), cycle-to-cycle noise σ = 0.3 on each step. The average ΔW over R samples must
    /// be −η·d·xᵀ.
    ///
    /// Tolerance: per sample ΔW_ij = Δ·Σ_{k≤n}(1 + σξ_k) with n ~ Binomial(BL, p), so
    /// Var(ΔW_ij) = Δ²(σ²·E n + Var n) = Δ²(σ²·BL·p + BL·p(1−p)); the mean of R samples has
    /// SE = √(Var/R) and we allow 5 SE per element (35 elements: false-alarm probability
    /// < 35·6·10⁻⁷).
    @Test func meanUpdateIsMinusEtaDXTranspose() {
        var c = DeviceConfig.quiet(.constantStep)
        c.dwMin = 0.001
        c.dwMinStd = 0.3
        c.wMax = 100
        c.wMin = -100
        let rows = 5, cols = 7
        let array = makeArray(c, rows: rows, cols: cols, seed: 3)
        let engine = makeEngine(array, seed: 4)
        var g = Xoshiro256(seed: 99)
        let x = (0..<cols).map { _ in 2 * g.nextUniform() - 1 }
        let d = (0..<rows).map { _ in 2 * g.nextUniform() - 1 }
        let eta: Float = 0.01
        let p = UpdateParameters() // BL 31, update management and BL management on
        let plan = UpdatePlan.make(eta: eta, granularity: array.granularity, xMax: x.map(abs).max()!,
                                   dMax: d.map(abs).max()!, parameters: p)
        // Sanity: no probability is clipped, so the expected count is η|x||d|/ε exactly.
        #expect(plan.bl >= 1 && plan.bl <= 31)
        let samples = 20_000
        var sum = [Double](repeating: 0, count: rows * cols)
        let negX = x.map { -$0 }
        for r in 0..<samples {
            // Alternate the sign of x so the weights stay near 0; the change is then ±(−η d xᵀ).
            let sign: Double = r % 2 == 0 ? 1 : -1
            let before = array.hiddenWeights()
            (r % 2 == 0 ? x : negX).withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
            let after = array.hiddenWeights()
            for k in 0..<(rows * cols) { sum[k] += sign * Double(after[k] - before[k]) }
        }
        let delta = Double(c.dwMin), sigma = Double(c.dwMinStd)
        for i in 0..<rows {
            for j in 0..<cols {
                let px = Double(abs(x[j]) * plan.scaleX), pd = Double(abs(d[i]) * plan.scaleD)
                #expect(px <= 1 && pd <= 1)
                let pr = px * pd, bl = Double(plan.bl)
                let expected = -Double(eta) * Double(d[i]) * Double(x[j])
                // BL·p_x·p_d·ε = η|x||d| (update management preserves A·B = η/(ε·BL)).
                #expect(abs(bl * pr * delta - abs(expected)) <= 1e-6 * abs(expected) + 1e-12)
                let variance = delta * delta * (sigma * sigma * bl * pr + bl * pr * (1 - pr))
                let se = (variance / Double(samples)).squareRoot()
                let mean = sum[i * cols + j] / Double(samples)
                #expect(abs(mean - expected) <= 5 * se,
                        "element (\(i),\(j)): mean ΔW \(mean), expected \(expected), SE \(se)")
            }
        }
    }

    /// Coincidence counts: a constant-step device with no noise and Δ = 2⁻¹⁰ (exact in float)
    /// moves by exactly Δ per coincidence, so n_ij = |ΔW_ij|/Δ. With update management off and
    /// BL = 31, η = ε·BL gives A = B = 1, i.e. p_x,j = |x_j| and p_d,i = |d_i|.
    ///
    /// Theory (independent Bernoulli slots, x_j's train shared by column j, d_i's by row i):
    ///   E n_ij = BL·p_x,j·p_d,i,  Var n_ij = BL·p(1−p) with p = p_x,j·p_d,i,
    ///   Cov(n_ij, n_ik) = BL·(E[d·x_j·x_k] − E[d x_j]E[d x_k]) = BL·p_d,i·p_x,j·p_x,k·(1 − p_d,i)
    ///   (same row), Cov(n_ij, n_lj) = BL·p_x,j·p_d,i·p_d,l·(1 − p_x,j) (same column), and 0 for
    ///   different rows and columns.
    /// Tolerances, N = 20 000 samples, 5 SE each: mean SE = √(Var/N); the sample variance has
    /// SE √((μ₄ − σ⁴)/N) with the binomial μ₄ = BL·pq(1 + 3(BL−2)pq); a sample covariance has
    /// SE = std((n_a − n̄_a)(n_b − n̄_b))/√N, estimated from the data.
    @Test func coincidenceCountsAreJointlyBinomial() {
        var c = DeviceConfig.quiet(.constantStep)
        c.dwMin = 1.0 / 1024
        c.wMax = 1000
        c.wMin = -1000
        let x: [Float] = [0.2, 0.5, 0.9, -0.7]
        let d: [Float] = [0.3, -0.6, 0.8]
        let rows = d.count, cols = x.count
        let array = makeArray(c, rows: rows, cols: cols, seed: 5)
        let engine = makeEngine(array, seed: 6)
        engine.enablePerDeviceCounts()
        var p = UpdateParameters()
        p.updateManagement = false
        p.updateBLManagement = false
        p.fixedBL = true
        p.desiredBL = 31
        let bl = 31.0
        let eta = Float(c.dwMin) * 31
        let plan = UpdatePlan.make(eta: eta, granularity: array.granularity, xMax: 0.9, dMax: 0.8, parameters: p)
        #expect(plan.bl == 31)
        #expect(abs(plan.scaleX - 1) < 1e-6 && abs(plan.scaleD - 1) < 1e-6)

        let samples = 20_000
        var counts = [[Double]](repeating: [], count: rows * cols)
        var totalPulses: UInt64 = 0
        var wrongSign = 0
        let negX = x.map { -$0 }
        for r in 0..<samples {
            let xs = r % 2 == 0 ? x : negX
            let before = array.hiddenWeights()
            xs.withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
            let after = array.hiddenWeights()
            for i in 0..<rows {
                for j in 0..<cols {
                    let k = i * cols + j
                    let change = Double(after[k] - before[k]) / Double(c.dwMin)
                    // Sign convention (docs/devices.md, "The pulsed update"): x_j·d_i > 0 ⇒ down pulses.
                    if change * Double(xs[j] * d[i]) > 0 { wrongSign += 1 }
                    counts[k].append(abs(change))
                    totalPulses += UInt64(abs(change).rounded())
                }
            }
        }
        #expect(wrongSign == 0)
        // Every change is a whole number of steps.
        #expect(counts.allSatisfy { $0.allSatisfy { $0 == $0.rounded() } })
        // The engine's counters saw the same pulses.
        #expect(engine.counters.total == totalPulses)
        let perDevice = engine.perDeviceTotals()!
        for k in 0..<(rows * cols) {
            #expect(Double(perDevice[k]) == counts[k].reduce(0, +), "per-device count of element \(k)")
        }

        let n = Double(samples)
        let stats = counts.map { SampleStats($0) }
        for i in 0..<rows {
            for j in 0..<cols {
                let k = i * cols + j
                let pr = Double(abs(x[j]) * abs(d[i]))
                let mean = bl * pr, variance = bl * pr * (1 - pr)
                let mu4 = bl * pr * (1 - pr) * (1 + 3 * (bl - 2) * pr * (1 - pr))
                #expect(abs(stats[k].mean - mean) <= 5 * (variance / n).squareRoot(),
                        "mean count (\(i),\(j)): \(stats[k].mean) vs \(mean)")
                #expect(abs(stats[k].variance - variance) <= 5 * ((mu4 - variance * variance) / n).squareRoot(),
                        "variance (\(i),\(j)): \(stats[k].variance) vs \(variance)")
            }
        }
        func covariance(_ a: Int, _ b: Int) -> (value: Double, se: Double) {
            let ma = stats[a].mean, mb = stats[b].mean
            let products = zip(counts[a], counts[b]).map { ($0 - ma) * ($1 - mb) }
            let s = SampleStats(products)
            return (s.mean * n / (n - 1), s.std / n.squareRoot())
        }
        let px = x.map { Double(abs($0)) }, pd = d.map { Double(abs($0)) }
        // Same row i: shared d train.
        for i in 0..<rows {
            for j in 0..<cols {
                for k in (j + 1)..<cols {
                    let theory = bl * pd[i] * px[j] * px[k] * (1 - pd[i])
                    let (v, se) = covariance(i * cols + j, i * cols + k)
                    #expect(abs(v - theory) <= 5 * se, "Cov(n_\(i)\(j), n_\(i)\(k)) = \(v), theory \(theory), SE \(se)")
                }
            }
        }
        // Same column j: shared x train.
        for j in 0..<cols {
            for i in 0..<rows {
                for l in (i + 1)..<rows {
                    let theory = bl * px[j] * pd[i] * pd[l] * (1 - px[j])
                    let (v, se) = covariance(i * cols + j, l * cols + j)
                    #expect(abs(v - theory) <= 5 * se, "Cov(n_\(i)\(j), n_\(l)\(j)) = \(v), theory \(theory), SE \(se)")
                }
            }
        }
        // Different row and column: independent trains.
        let (v, se) = covariance(0 * cols + 1, 2 * cols + 3)
        #expect(abs(v) <= 5 * se, "Cov(n_01, n_23) = \(v), SE \(se)")
    }
}
