import Testing
import CrossbarKit
import TestSupport

/// The Gaussian noise sources of the pipeline (docs/io.md steps 4, 6, 7) against their variance
/// formulas.
///
/// Tolerances: the sample mean of n draws with std σ has standard error σ/√n; the sample std of n
/// normal draws has standard error ≈ σ/√(2(n−1)). A test that compares one mean and one std uses
/// 3 SE (false-alarm rate 0.3 % per comparison for a correct implementation; the seeds are fixed,
/// so the outcome is reproducible); tests that compare many lines at once use 4 SE to keep the
/// family-wise rate below 0.1 %. The quantities the tests guard against (a missing factor, a
/// wrong square root, noise applied at the wrong stage) are tens of SE away.
@Suite struct NoiseTests {
    /// Output noise alone: W = 0, no NM, no ADC quantisation, so every output is σ·ξ.
    @Test func outputNoiseHasZeroMeanAndTheConfiguredStd() throws {
        var io = quietIO()
        io.outNoise = 0.06
        io.outBound = 12
        let tile = try makeTile(constant(rows: 100, cols: 4, 0), forward: io)
        let y = try tile.forward(constant(rows: 200, cols: 4, 1))   // 20 000 draws
        let stats = SampleStats(y.storage)
        let n = Double(stats.count), sigma = 0.06
        #expect(stats.count == 20_000)
        #expect(abs(stats.mean) <= 3 * sigma / n.squareRoot(), "mean \(stats.mean)")
        #expect(abs(stats.std - sigma) <= 3 * stats.standardErrorOfStd(sigma: sigma), "std \(stats.std)")
        // Independent across neighbouring lines: the lag-1 correlation of the flattened outputs
        // has SE 1/√n; allow 4 SE.
        // Same for the same line in consecutive samples (lag 100): noise is per sample.
        for lag in [1, 100] {
            var c = 0.0
            for k in lag..<y.storage.count { c += Double(y.storage[k]) * Double(y.storage[k - lag]) }
            let correlation = c / (n - Double(lag)) / stats.variance
            #expect(abs(correlation) <= 4 / n.squareRoot(), "lag-\(lag) correlation \(correlation)")
        }
    }

    /// Output noise is output-referred: the digital rescaling by α_nm (step 8) multiplies it.
    /// With abs_max NM and max|x| = 4 the output noise std is 4·σ. Backward has the same noise.
    @Test func outputNoiseIsRescaledByTheNoiseManagementFactor() throws {
        var io = IOParameters()
        io.outRes = 0
        io.outNoise = 0.05
        io.boundManagement = .none
        let tile = try makeTile(constant(rows: 100, cols: 100, 0), forward: io)
        let y = try tile.forward(constant(rows: 200, cols: 100, 4))
        let stats = SampleStats(y.storage)
        let sigma = 4 * 0.05
        #expect(abs(stats.mean) <= 3 * sigma / Double(stats.count).squareRoot())
        #expect(abs(stats.std - sigma) <= 3 * stats.standardErrorOfStd(sigma: sigma), "std \(stats.std), expected \(sigma)")

        let z = try tile.backward(constant(rows: 200, cols: 100, -0.5))
        let zs = SampleStats(z.storage)
        let zsigma = 0.5 * 0.05
        #expect(abs(zs.std - zsigma) <= 3 * zs.standardErrorOfStd(sigma: zsigma), "backward std \(zs.std), expected \(zsigma)")
    }

    /// out_noise_std: each output line i gets its own σ_i = |σ(1 + s·ξ_i)|, drawn once per tile.
    ///
    /// With s = 0.2 the |·| never acts (P(ξ < −5) ≈ 3·10⁻⁷), so across L = 400 lines the σ_i have
    /// mean σ and std s·σ. Each line's estimated std from N = 400 draws adds sampling noise of
    /// std ≈ σ/√(2N), so the spread of the estimates over lines is σ·√(s² + 1/(2N)); the SE of a
    /// std estimated from L values is ≈ spread/√(2(L−1)) (3.5 %), and the mean of the line stds
    /// has SE spread/√L; we allow 4 SE. Without the per-line draw the spread would be σ/√(2N),
    /// 5.7 times smaller.
    @Test func outNoiseStdGivesEachLineItsOwnStableNoiseLevel() throws {
        let lines = 400, draws = 400
        var io = quietIO()
        io.outNoise = 0.1
        io.outNoiseStd = 0.2
        io.outBound = 12
        let tile = try makeTile(constant(rows: lines, cols: 2, 0), forward: io)
        let first = try tile.forward(constant(rows: draws / 2, cols: 2, 1))
        let second = try tile.forward(constant(rows: draws / 2, cols: 2, 1))
        var lineStd: [Double] = [], firstStd: [Double] = [], secondStd: [Double] = []
        for i in 0..<lines {
            let a = columnValues(first, i), b = columnValues(second, i)
            lineStd.append(SampleStats(a + b).std)
            firstStd.append(SampleStats(a).std)
            secondStd.append(SampleStats(b).std)
        }
        let overLines = SampleStats(lineStd)
        let sigma = 0.1, s = 0.2
        let spread = sigma * (s * s + 1 / (2 * Double(draws))).squareRoot()
        #expect(abs(overLines.mean - sigma) <= 4 * spread / Double(lines).squareRoot(), "mean line std \(overLines.mean)")
        #expect(abs(overLines.std - spread) <= 4 * spread / (2 * Double(lines - 1)).squareRoot(),
                "spread of line stds \(overLines.std), expected \(spread)")
        // Systematic, not per call: the line stds of two independent halves agree. Expected
        // correlation = s²/(s² + 1/N_half) ≈ 0.89; a per-call redraw would give ≈ 0.
        let fs = SampleStats(firstStd), ss = SampleStats(secondStd)
        var cov = 0.0
        for i in 0..<lines { cov += (firstStd[i] - fs.mean) * (secondStd[i] - ss.mean) }
        let correlation = cov / Double(lines - 1) / (fs.std * ss.std)
        #expect(correlation > 0.75, "line noise levels are not stable across calls: correlation \(correlation)")
    }

    /// Input noise is added after the DAC and propagates through W: the output of line i has
    /// variance inp_noise²·Σ_j w_ij² (with the ADC off, i.e. quantisation fine enough).
    @Test func inputNoisePropagatesWithTheRowNorms() throws {
        let n = 10_000
        var w = randomMatrix(rows: 6, cols: 50, seed: 31)
        for j in 0..<50 { w[1, j] *= 3; w[2, j] *= 0.2 }     // rows with different norms
        var io = quietIO()
        io.inpRes = 1.0 / 126.0                               // the DAC acts before the noise
        io.inpNoise = 0.05
        let tile = try makeTile(w, forward: io)
        let y = try tile.forward(constant(rows: n, cols: 50, 0))
        for i in 0..<6 {
            var rowSquares = 0.0
            for j in 0..<50 { rowSquares += Double(w[i, j]) * Double(w[i, j]) }
            let sigma = 0.05 * rowSquares.squareRoot()
            let stats = SampleStats(columnValues(y, i))
            #expect(abs(stats.mean) <= 4 * sigma / Double(n).squareRoot(), "line \(i): mean \(stats.mean)")
            #expect(abs(stats.std - sigma) <= 4 * stats.standardErrorOfStd(sigma: sigma), "line \(i): std \(stats.std), expected \(sigma)")
        }
    }

    /// additive_constant weight noise: y_i += w_noise·‖v‖₂·ξ_i.
    @Test func additiveConstantWeightNoiseScalesWithTheInputNorm() throws {
        let x: [Float] = (0..<20).map { Float($0 % 7) / 7 - 0.4 }
        var norm2 = 0.0
        for v in x { norm2 += Double(v) * Double(v) }
        var io = quietIO()
        io.wNoise = 0.1
        io.wNoiseType = .additiveConstant
        let tile = try makeTile(constant(rows: 50, cols: 20, 0), forward: io)
        let y = try tile.forward(repeatedRows(x, 400))       // 20 000 draws
        let stats = SampleStats(y.storage)
        let sigma = 0.1 * norm2.squareRoot()
        #expect(abs(stats.mean) <= 3 * sigma / Double(stats.count).squareRoot())
        #expect(abs(stats.std - sigma) <= 3 * stats.standardErrorOfStd(sigma: sigma), "std \(stats.std), expected \(sigma)")
        // w_noise_type none: no weight noise at all even with w_noise > 0.
        io.wNoiseType = .none
        let quiet = try makeTile(constant(rows: 50, cols: 20, 0), forward: io)
        #expect(try quiet.forward(repeatedRows(x, 4)).storage.allSatisfy { $0 == 0 })
    }

    /// pcm_read weight noise: y_i += w_noise·√(Σ_j |w_ij| v_j²)·ξ_i — forward, and backward with
    /// the roles of the indices swapped (z_j uses Σ_i |w_ij| d_i²).
    @Test func pcmReadWeightNoiseFollowsTheAbsoluteWeights() throws {
        let n = 10_000
        let w = randomMatrix(rows: 6, cols: 30, seed: 41)
        let x = randomMatrix(rows: 1, cols: 30, seed: 42).storage
        var io = quietIO()
        io.wNoise = 0.2
        io.wNoiseType = .pcmRead
        let tile = try makeTile(w, forward: io)
        let y = try tile.forward(repeatedRows(x, n))
        let exact = naiveForward(w, Matrix(rows: 1, cols: 30, storage: x))
        for i in 0..<6 {
            var s = 0.0
            for j in 0..<30 { s += abs(Double(w[i, j])) * Double(x[j]) * Double(x[j]) }
            let sigma = 0.2 * s.squareRoot()
            let stats = SampleStats(columnValues(y, i).map { $0 - Double(exact[0, i]) })
            #expect(abs(stats.mean) <= 4 * sigma / Double(n).squareRoot(), "line \(i): mean \(stats.mean)")
            #expect(abs(stats.std - sigma) <= 4 * stats.standardErrorOfStd(sigma: sigma), "line \(i): std \(stats.std), expected \(sigma)")
        }

        let d = randomMatrix(rows: 1, cols: 6, seed: 43).storage
        let z = try tile.backward(repeatedRows(d, n))
        let zExact = naiveBackward(w, Matrix(rows: 1, cols: 6, storage: d))
        for j in [0, 7, 29] {
            var s = 0.0
            for i in 0..<6 { s += abs(Double(w[i, j])) * Double(d[i]) * Double(d[i]) }
            let sigma = 0.2 * s.squareRoot()
            let stats = SampleStats(columnValues(z, j).map { $0 - Double(zExact[0, j]) })
            #expect(abs(stats.std - sigma) <= 4 * stats.standardErrorOfStd(sigma: sigma), "backward line \(j): std \(stats.std), expected \(sigma)")
        }
    }

    /// Asymmetries: negative inputs × (1 − inp_asymmetry), negative outputs × (1 − out_asymmetry).
    @Test func inputAndOutputAsymmetry() throws {
        var io = quietIO()
        io.inpAsymmetry = 0.25
        let tile = try makeTile(identity(4), forward: io)
        let y = try tile.forward(Matrix([[0.5, -0.5, 0.8, -0.8]])).storage
        #expect(abs(y[0] - 0.5) < 1e-6 && abs(y[1] + 0.375) < 1e-6 && abs(y[2] - 0.8) < 1e-6 && abs(y[3] + 0.6) < 1e-6)

        io = quietIO()
        io.outAsymmetry = 0.5
        // W = [[1, 1], [−1, −1]]: output 1 is negative, halved.
        let t2 = try makeTile(Matrix([[1, 1], [-1, -1]]), forward: io)
        let y2 = try t2.forward(Matrix([[0.3, 0.4]])).storage
        #expect(abs(y2[0] - 0.7) < 1e-6 && abs(y2[1] + 0.35) < 1e-6)
    }
}
