import CrossbarKit
import Foundation
import Testing
import TestSupport

/// docs/devices.md, "Device-to-device sampling": device-to-device parameters sampled once at construction. Each statistic over
/// n = 10⁴ devices is compared with its theoretical value: a mean within 5 SE (SE = std/√n),
/// a standard deviation within 5 SE (SE = std/√(2n), Gaussian draws), a fraction within 5 SE
/// (SE = √(p(1−p)/n)).
@Suite struct DeviceToDeviceTests {
    static let rows = 100, cols = 100
    static let n = Double(rows * cols)

    static func checkMean(_ v: [Double], _ mean: Double, _ std: Double, _ what: String) {
        let s = SampleStats(v)
        #expect(abs(s.mean - mean) <= 5 * std / n.squareRoot() + 1e-12, "\(what): mean \(s.mean), expected \(mean)")
    }

    static func checkStd(_ v: [Double], _ std: Double, _ what: String) {
        let s = SampleStats(v)
        #expect(abs(s.std - std) <= 5 * std / (2 * n).squareRoot() + 1e-12, "\(what): std \(s.std), expected \(std)")
    }

    /// Δ⁺ = (up_bias + gain + r)·dw_min, Δ⁻ = (down_bias + gain − r)·dw_min with gain =
    /// 1 + dw_min_dtod·ξ₃ and r = up_down_dtod·ξ₄; b_max = w_max(1 + w_max_dtod ξ₁),
    /// b_min = w_min(1 + w_min_dtod ξ₂). Spreads are small enough (≤ 0.2) that
    /// enforce_consistency's abs() never acts (5σ).
    @Test(arguments: [Float(0), 0.3, -0.2]) func stepsAndBounds(_ upDown: Float) {
        var c = DeviceConfig(model: .constantStep)
        c.dwMin = 0.01
        c.dwMinDtod = 0.2
        c.upDown = upDown
        c.upDownDtod = 0.05
        c.wMax = 0.7
        c.wMaxDtod = 0.15
        c.wMin = -0.5
        c.wMinDtod = 0.1
        let a = makeArray(c, rows: Self.rows, cols: Self.cols, seed: 21)
        let up = a.stepUp.array.map(Double.init), down = a.stepDown.array.map(Double.init)
        let upBias = Double(min(upDown, 0)), downBias = Double(-max(upDown, 0))
        let dw = 0.01
        let stepStd = dw * (0.2 * 0.2 + 0.05 * 0.05).squareRoot()
        Self.checkMean(up, (1 + upBias) * dw, stepStd, "Δ⁺")
        Self.checkMean(down, (1 + downBias) * dw, stepStd, "Δ⁻")
        Self.checkStd(up, stepStd, "Δ⁺")
        Self.checkStd(down, stepStd, "Δ⁻")
        // Δ⁺ − Δ⁻ = (up_bias − down_bias + 2r)·dw_min isolates the asymmetry spread,
        // Δ⁺ + Δ⁻ = (biases + 2·gain)·dw_min the gain spread.
        let diff = zip(up, down).map { $0 - $1 }, sum = zip(up, down).map { $0 + $1 }
        Self.checkMean(diff, (upBias - downBias) * dw, 2 * 0.05 * dw, "Δ⁺ − Δ⁻")
        Self.checkStd(diff, 2 * 0.05 * dw, "Δ⁺ − Δ⁻")
        Self.checkStd(sum, 2 * 0.2 * dw, "Δ⁺ + Δ⁻")
        let hi = a.bMax.array.map(Double.init), lo = a.bMin.array.map(Double.init)
        Self.checkMean(hi, 0.7, 0.7 * 0.15, "b_max")
        Self.checkStd(hi, 0.7 * 0.15, "b_max")
        Self.checkMean(lo, -0.5, 0.5 * 0.1, "b_min")
        Self.checkStd(lo, 0.5 * 0.1, "b_min")
        // Independence of the draws: corr(Δ⁺ + Δ⁻, b_max) ≈ 0 within 5/√n.
        let sh = SampleStats(hi), ss = SampleStats(sum)
        let cov = zip(hi, sum).map { ($0 - sh.mean) * ($1 - ss.mean) }.reduce(0, +) / (Self.n - 1)
        #expect(abs(cov / (sh.std * ss.std)) <= 5 / Self.n.squareRoot())
    }

    /// dw_min_dtod_log_normal: gain = exp(σ_d ξ), so ln(Δ/dw_min) ~ N(0, σ_d) (no asymmetry).
    @Test func logNormalGain() {
        var c = DeviceConfig.quiet(.constantStep)
        c.dwMin = 0.01
        c.dwMinDtod = 0.7
        c.dwMinDtodLogNormal = true
        let a = makeArray(c, rows: Self.rows, cols: Self.cols, seed: 22)
        let logGain = a.stepUp.array.map { log(Double($0) / 0.01) }
        Self.checkMean(logGain, 0, 0.7, "ln gain")
        Self.checkStd(logGain, 0.7, "ln gain")
        #expect(a.stepUp.array == a.stepDown.array)
    }

    /// corrupt_devices_prob: a fraction p of devices is stuck (Δ± = 0, b_min = b_max = v with
    /// v ~ U[max(min b, −range), min(max b, range)] — here U[−0.1, 0.1]: mean 0, std 0.2/√12).
    @Test func corruptDevices() {
        var c = DeviceConfig(model: .softBounds)
        c.corruptDevicesProb = 0.1
        c.corruptDevicesRange = 0.1
        let a = makeArray(c, rows: Self.rows, cols: Self.cols, seed: 23)
        let stuck = (0..<a.count).filter { a.stepUp[$0] == 0 && a.stepDown[$0] == 0 }
        let fraction = Double(stuck.count) / Self.n
        #expect(abs(fraction - 0.1) <= 5 * (0.1 * 0.9 / Self.n).squareRoot(), "corrupt fraction \(fraction)")
        let values = stuck.map { Double(a.bMax[$0]) }
        #expect(stuck.allSatisfy { a.bMax[$0] == a.bMin[$0] && abs(a.bMax[$0]) <= 0.1 })
        let s = SampleStats(values)
        let sd = 0.2 / 12.0.squareRoot()
        #expect(abs(s.mean) <= 5 * sd / Double(values.count).squareRoot())
        // A stuck device never moves.
        let noise = TestNoise(seed: 1)
        a.setAll(0.05)
        for _ in 0..<5 { a.pulseAll(down: false, &noise.source) }
        #expect(stuck.allSatisfy { a.hidden[$0] == a.bMax[$0] })
    }

    /// LinearStep slopes γ± = gamma ± gamma_dtod·ξ (absolute spread), recovered from the stored
    /// slope s⁺ = −γ⁺Δ⁺/w_max (mean_bound_reference); PowStep exponents
    /// γ⁺ = (gain_g + r_g)·pow_gamma with gain_g = 1 + pow_gamma_dtod ξ; SoftBoundsReference
    /// slope spread b_max ← b_max/|1 + slope_up_dtod ξ|; diffusion ρ = |diffusion(1 + dtod ξ)|;
    /// reset r = reset + reset_dtod ξ (additive, docs/devices.md, "Deviations from the reference simulator"); lifetime δ = 1 − 1/τ,
    /// τ = lifetime(1 + lifetime_dtod ξ).
    @Test func modelSpecificSpreads() {
        var l = DeviceConfig.quiet(.linearStep)
        l.gammaUp = 0.5; l.gammaUpDtod = 0.1; l.gammaDown = 0.3; l.gammaDownDtod = 0.05; l.wMax = 0.8; l.wMin = -0.6
        let la = makeArray(l, rows: Self.rows, cols: Self.cols, seed: 24)
        let gu = (0..<la.count).map { -Double(la.slopeUp[$0]) * 0.8 / Double(la.stepUp[$0]) }
        let gd = (0..<la.count).map { -Double(la.slopeDown[$0]) * -0.6 / Double(la.stepDown[$0]) }
        Self.checkMean(gu, 0.5, 0.1, "γ⁺"); Self.checkStd(gu, 0.1, "γ⁺")
        Self.checkMean(gd, 0.3, 0.05, "γ⁻"); Self.checkStd(gd, 0.05, "γ⁻")

        var p = DeviceConfig.quiet(.powStep)
        p.powGamma = 2; p.powGammaDtod = 0.1; p.powUpDownDtod = 0.05
        let pa = makeArray(p, rows: Self.rows, cols: Self.cols, seed: 25)
        let pu = pa.powGammaUp!.array.map { Double($0) / 2 }, pd = pa.powGammaDown!.array.map { Double($0) / 2 }
        let gs = (0.1 * 0.1 + 0.05 * 0.05).squareRoot()
        Self.checkMean(pu, 1, gs, "γ⁺/pow_gamma"); Self.checkStd(pu, gs, "γ⁺/pow_gamma")
        Self.checkStd(zip(pu, pd).map { $0 - $1 }, 2 * 0.05, "(γ⁺ − γ⁻)/pow_gamma")

        var r = DeviceConfig.quiet(.softBoundsReference)
        r.slopeUpDtod = 0.1; r.wMax = 1
        let ra = makeArray(r, rows: Self.rows, cols: Self.cols, seed: 26)
        let inv = ra.bMax.array.map { 1 / Double($0) } // |1 + 0.1ξ| = 1 + 0.1ξ at 10σ
        Self.checkMean(inv, 1, 0.1, "w_max/b_max"); Self.checkStd(inv, 0.1, "w_max/b_max")

        var e = DeviceConfig.quiet(.constantStep)
        e.diffusion = 0.01; e.diffusionDtod = 0.2; e.reset = 0.05; e.resetDtod = 0.02; e.lifetime = 100; e.lifetimeDtod = 0.1
        let ea = makeArray(e, rows: Self.rows, cols: Self.cols, seed: 27)
        let rho = ea.diffusionRate!.array.map { Double($0) / 0.01 }
        Self.checkMean(rho, 1, 0.2, "diffusion ρ/diffusion"); Self.checkStd(rho, 0.2, "diffusion ρ/diffusion")
        let reset = ea.resetBias.array.map(Double.init)
        Self.checkMean(reset, 0.05, 0.02, "reset bias"); Self.checkStd(reset, 0.02, "reset bias (additive)")
        let tau = ea.decay!.array.map { 1 / (1 - Double($0)) / 100 }
        Self.checkMean(tau, 1, 0.1, "τ/lifetime"); Self.checkStd(tau, 0.1, "τ/lifetime")
    }

    /// construction_seed ≠ 0: the device-to-device draws depend on that seed only, not on the
    /// run's master seed; construction_seed 0: they follow the master seed.
    @Test func constructionSeed() throws {
        func steps(master: UInt64, constructionSeed: UInt64) throws -> [Float] {
            var device = try DevicePresets.device("ReRamSB")
            device.constructionSeed = constructionSeed
            var conf = TileConfiguration()
            conf.device = .single(device)
            let tile = try AnalogTile(outSize: 6, inSize: 5, configuration: conf, seeds: SeedSet(master: master), path: "t")
            let core = try #require(tile.core as? PulsedCore)
            return core.array.stepUp.array + core.array.bMax.array + core.array.reference!.array
        }
        #expect(try steps(master: 1, constructionSeed: 77) == steps(master: 2, constructionSeed: 77))
        #expect(try steps(master: 1, constructionSeed: 77) != steps(master: 1, constructionSeed: 78))
        #expect(try steps(master: 1, constructionSeed: 0) != steps(master: 2, constructionSeed: 0))
        #expect(try steps(master: 3, constructionSeed: 0) == steps(master: 3, constructionSeed: 0))
    }
}
