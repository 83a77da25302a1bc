import Testing
import CrossbarKit
import TestSupport

/// Noise management (docs/io.md step 2): the input is divided by α_nm before the DAC and the
/// output multiplied by α_nm after the ADC. Noise is off here; what remains is quantisation, so
/// outputs are compared with W·clip(x, ±α) within the worst-case quantisation error.
@Suite struct NoiseManagementTests {
    static let w = randomMatrix(rows: 16, cols: 32, seed: 51, lo: -0.3, hi: 0.3)

    /// Default IO without noise and without bound management.
    static func noiseless(_ nm: NoiseManagement, thres: Float = 0) -> IOParameters {
        var io = IOParameters()
        io.outNoise = 0
        io.boundManagement = .none
        io.noiseManagement = nm
        io.nmThres = thres
        return io
    }

    /// Worst-case quantisation error of output i for a sample scaled by α: each input is off by
    /// at most half a DAC step (α·step_in/2), so the product by Σ_j |w_ij|·α·step_in/2; the ADC
    /// adds half an output step, times α.
    static func quantisationBound(_ io: IOParameters, alpha: Float, row i: Int) -> Float {
        var s: Float = 0
        for j in 0..<w.cols { s += abs(w[i, j]) }
        return alpha * (s * io.inputStep / 2 + io.outputStep / 2) + 1e-5
    }

    /// y ≈ W·clip(x, ±α) per output line.
    static func expectClippedProduct(_ y: [Float], _ x: [Float], alpha: Float, _ io: IOParameters,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        let clipped = x.map { min(max($0, -alpha), alpha) }
        let exact = naiveForward(w, Matrix(rows: 1, cols: x.count, storage: clipped)).storage
        for i in exact.indices {
            #expect(abs(y[i] - exact[i]) <= quantisationBound(io, alpha: alpha, row: i),
                    "line \(i): \(y[i]) vs \(exact[i])", sourceLocation: sourceLocation)
        }
    }

    @Test func absMaxOutputIsInvariantToInputScaling() throws {
        let io = Self.noiseless(.absMax)
        let x = randomMatrix(rows: 1, cols: 32, seed: 52).storage
        let tile = try makeTile(Self.w, forward: io)
        let y1 = try tile.forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        let alpha = x.map(abs).max()!
        Self.expectClippedProduct(y1, x, alpha: alpha, io)
        for c: Float in [1e-3, 7.5, 1e3] {
            let yc = try tile.forward(Matrix(rows: 1, cols: 32, storage: x.map { c * $0 })).storage
            for i in yc.indices {
                // The DAC sees the same normalised values, so the outputs scale exactly with c up
                // to float rounding; allow one DAC level of one input in case a value sits on a
                // rounding boundary.
                let tol = c * (alpha * io.inputStep * Self.w.storage.map(abs).max()! + 1e-5)
                #expect(abs(yc[i] - c * y1[i]) <= tol, "c = \(c), line \(i): \(yc[i]) vs \(c * y1[i])")
            }
        }
    }

    @Test func withoutNoiseManagementLargeInputsClipAtTheDAC() throws {
        let io = Self.noiseless(.none)
        let x = randomMatrix(rows: 1, cols: 32, seed: 53, lo: -3, hi: 3).storage
        let y = try makeTile(Self.w, forward: io).forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        Self.expectClippedProduct(y, x, alpha: 1, io)
        // And that is far from the true product.
        let exact = naiveForward(Self.w, Matrix(rows: 1, cols: 32, storage: x)).storage
        #expect(maxAbsDifference(y, exact) > 0.3)
    }

    @Test func nmThresSaturatesTheAbsMaxScale() throws {
        let io = Self.noiseless(.absMax, thres: 2)
        var x = randomMatrix(rows: 1, cols: 32, seed: 54, lo: -8, hi: 8).storage
        x[3] = 8
        let y = try makeTile(Self.w, forward: io).forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        // α = min(max|x|, 2) = 2: everything beyond ±2 saturates.
        Self.expectClippedProduct(y, x, alpha: 2, io)
        let unsaturated = try makeTile(Self.w, forward: Self.noiseless(.absMax)).forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        #expect(maxAbsDifference(y, unsaturated) > 0.3)
    }

    @Test func maxModeUsesTheLargestSignedValue() throws {
        let io = Self.noiseless(.max)
        var x = randomMatrix(rows: 1, cols: 32, seed: 55, lo: -3, hi: 0.5).storage
        x[0] = 0.5
        let y = try makeTile(Self.w, forward: io).forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        // α = max(x) = 0.5, so negative inputs below −0.5 clip.
        Self.expectClippedProduct(y, x, alpha: 0.5, io)
        // max(x) ≤ 0 with no input noise: the output is exactly zero (docs/io.md step 2).
        let negative = x.map { -abs($0) - 0.1 }
        let z = try makeTile(Self.w, forward: io).forward(Matrix(rows: 1, cols: 32, storage: negative)).storage
        #expect(z.allSatisfy { $0 == 0 })
    }

    @Test func constantModeDividesByNmThres() throws {
        let x = randomMatrix(rows: 1, cols: 32, seed: 56, lo: -6, hi: 6).storage
        let io4 = Self.noiseless(.constant, thres: 4)
        let y4 = try makeTile(Self.w, forward: io4).forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        Self.expectClippedProduct(y4, x, alpha: 4, io4)
        // nm_thres = 0 ⇒ α = 1.
        let io1 = Self.noiseless(.constant, thres: 0)
        let y1 = try makeTile(Self.w, forward: io1).forward(Matrix(rows: 1, cols: 32, storage: x)).storage
        Self.expectClippedProduct(y1, x, alpha: 1, io1)
    }

    @Test func zeroInputGivesZeroOutputUnderNoiseManagement() throws {
        var io = IOParameters()          // default noise on
        io.outNoise = 0.5
        let tile = try makeTile(Self.w, forward: io)
        let y = try tile.forward(constant(rows: 3, cols: 32, 0))
        #expect(y.storage.allSatisfy { $0 == 0 }, "α = 0 and inp_noise = 0 ⇒ output exactly 0")
    }

    /// average_abs_max: a ← a(1 − nm_decay) + nm_decay·max|x| per sample, a₁ = max|x₁|; forward
    /// and backward keep separate running values (documented deviation from the reference, which
    /// shares one, docs/io.md, "Deviations").
    @Test func averageAbsMaxKeepsARunningValuePerDirection() throws {
        var io = Self.noiseless(.averageAbsMax)
        io.nmDecay = 0.25
        let tile = try makeTile(Self.w, forward: io)
        #expect(tile.forwardMVM.runningAbsMax < 0, "not started")
        let maxima: [Float] = [2, 0.5, 4, 1, 1]
        var x = Matrix(rows: maxima.count, cols: 32)
        let base = randomMatrix(rows: 1, cols: 32, seed: 57, lo: -1, hi: 1).storage
        let baseMax = base.map(abs).max()!
        for (b, m) in maxima.enumerated() { for j in 0..<32 { x[b, j] = base[j] / baseMax * m } }
        let y = try tile.forward(x)
        var a: Float = -1
        for (b, m) in maxima.enumerated() {
            a = a < 0 ? m : a * 0.75 + 0.25 * m
            // Sample b is scaled by the running value after it: inputs beyond ±a clip.
            Self.expectClippedProduct(y.row(b), x.row(b), alpha: a, io)
        }
        #expect(abs(tile.forwardMVM.runningAbsMax - a) <= 1e-5 * a)
        #expect(tile.backwardMVM.runningAbsMax < 0, "backward has its own running value")
        // The running value carries over to the next call.
        _ = try tile.forward(Matrix(rows: 1, cols: 32, storage: x.row(0)))
        #expect(abs(tile.forwardMVM.runningAbsMax - (a * 0.75 + 0.25 * 2)) <= 1e-5)

        _ = try tile.backward(constant(rows: 1, cols: 16, 3))
        #expect(tile.backwardMVM.runningAbsMax == 3)
    }

    /// An all-zero first vector starts the running value at 0 (not "not started"): the next
    /// vector moves it by nm_decay·max|x| only.
    @Test func averageAbsMaxStartsAtTheFirstVectorEvenIfItIsZero() throws {
        var io = Self.noiseless(.averageAbsMax)
        io.nmDecay = 0.25
        let tile = try makeTile(Self.w, forward: io)
        var x = Matrix(rows: 2, cols: 32)
        for j in 0..<32 { x[1, j] = 2 }
        _ = try tile.forward(x)
        #expect(abs(tile.forwardMVM.runningAbsMax - 0.5) <= 1e-6, "got \(tile.forwardMVM.runningAbsMax)")
    }
}
