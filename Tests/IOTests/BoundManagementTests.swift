import Testing
import CrossbarKit
import TestSupport

/// Bound management (docs/io.md step 3): when an output clips at ±out_bound, the sample is
/// recomputed with the input scale halved (β ← 2β) and fresh noise, until nothing clips or β
/// passes max_bm_factor or max_bm_res / DAC step. Forward only.
///
/// The cases use W = c·ones and x = ones (or a fraction of ones): after abs_max NM every input
/// is 1, so the raw output is Y = c·(number of ones) and the pass with β gives ≈ Y/β. The
/// margins to the bound are several ADC steps, so the expected β does not depend on rounding.
@Suite struct BoundManagementTests {
    /// Default IO (7-bit DAC, 9-bit ADC, out_bound 12, abs_max NM, iterative BM) without noise.
    static func io(_ bm: BoundManagement = .iterative) -> IOParameters {
        var io = IOParameters()
        io.outNoise = 0
        io.boundManagement = bm
        return io
    }

    static func ones(_ n: Int, count: Int? = nil) -> [Float] {
        (0..<n).map { $0 < (count ?? n) ? 1 : 0 }
    }

    @Test func betaDoublesUntilNothingClips() throws {
        // 0.5·ones(8×64): Y = 32 for x = ones (β: 32 → 16.3 → 8.1 ⇒ β = 4), 16 for half ones
        // (β = 2), 0.5 for a one-hot vector (β = 1).
        let w = constant(rows: 8, cols: 64, 0.5)
        let x = Matrix([Self.ones(64), Self.ones(64, count: 1), Self.ones(64, count: 32)])
        let tile = try makeTile(w, forward: Self.io())
        let y = try tile.forward(x)
        let betas = (0..<3).map { tile.forwardMVM.lastBoundManagementFactor($0) }
        #expect(betas == [4, 1, 2])
        // BM recovers the unclipped product (up to quantisation: the DAC level of 1/β is within
        // half a step 1/63 of 1/β, i.e. a relative error ≤ β/126 ≤ 3.2 %).
        let exact = naiveForward(w, x)
        for k in y.storage.indices {
            #expect(abs(y.storage[k] - exact.storage[k]) <= 0.035 * abs(exact.storage[k]) + 0.05,
                    "element \(k): \(y.storage[k]) vs \(exact.storage[k])")
        }
        // Without BM the first sample clips at out_bound.
        let clipped = try makeTile(w, forward: Self.io(.none)).forward(x)
        #expect(abs(clipped[0, 0] - 12) < 1e-4)
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) == 4)
    }

    @Test func defaultResolutionLimitStopsAtSixteen() throws {
        // ones(8×512): Y = 512; at β = 16 the output is still 32 > 12, but 16 > 0.25·63 = 15.75
        // stops the loop: the default β sequence is 1, 2, 4, 8, 16.
        let tile = try makeTile(constant(rows: 8, cols: 512, 1), forward: Self.io())
        let y = try tile.forward(Matrix([Self.ones(512)]))
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) == 16)
        for v in y.storage { #expect(abs(v - 12 * 16) < 1e-3, "clipped at out_bound·β: \(v)") }
    }

    @Test(arguments: [(Float(3), Float(4)), (4, 8), (1, 2), (1000, 16)])
    func maxBmFactorStopsTheLoop(limit: Float, expectedBeta: Float) throws {
        // β doubles while β ≤ max_bm_factor (and ≤ 15.75 from the resolution).
        var io = Self.io()
        io.maxBmFactor = limit
        let tile = try makeTile(constant(rows: 8, cols: 512, 1), forward: io)
        _ = try tile.forward(Matrix([Self.ones(512)]))
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) == expectedBeta)
    }

    @Test func maxBmResStopsTheLoop() throws {
        // max_bm_res = 0.5 with the default DAC step 1/63: limit 31.5 ⇒ β = 32.
        var io = Self.io()
        io.maxBmRes = 0.5
        let tile = try makeTile(constant(rows: 8, cols: 512, 1), forward: io)
        _ = try tile.forward(Matrix([Self.ones(512)]))
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) == 32)
        // Without a DAC (inp_res = 0) only max_bm_factor = 1000 limits: β = 1024 for an output
        // that still clips there (Y = 30·512 = 15 360 ⇒ 15 > 12 at β = 1024).
        io = Self.io()
        io.inpRes = 0
        let t2 = try makeTile(constant(rows: 8, cols: 512, 30), forward: io)
        _ = try t2.forward(Matrix([Self.ones(512)]))
        #expect(t2.forwardMVM.lastBoundManagementFactor(0) == 1024)
    }

    /// The BM test looks at the ADC output, as the reference simulator does: a raw value just
    /// above the bound that the ADC rounds onto the bound (12 = 255 steps) does not clip.
    @Test func boundTestUsesTheQuantisedOutput() throws {
        let step: Float = 24.0 / 510.0
        var w = Matrix(rows: 2, cols: 2)
        w[0, 0] = 12 + 0.3 * step      // rounds to 12: not beyond the bound
        w[1, 1] = 12 + 0.7 * step      // rounds to 12 + step: clips
        let tile = try makeTile(w, forward: Self.io())
        let y = try tile.forward(Matrix([[1, 0], [0, 1]]))
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) == 1)
        #expect(abs(y[0, 0] - 12) < 1e-5)
        #expect(tile.forwardMVM.lastBoundManagementFactor(1) == 2)
        // Recomputed at β = 2: the DAC level of 1/2 is 32/63 (relative error 1/63), plus half an
        // ADC step times β.
        #expect(abs(y[1, 1] - (12 + 0.7 * step)) <= 12.1 / 63 + step)
    }

    @Test func negativeBoundTestCanBeSwitchedOff() throws {
        let w = constant(rows: 8, cols: 64, 0.5)
        let x = Matrix([Self.ones(64).map { -$0 }])
        let tested = try makeTile(w, forward: Self.io())
        _ = try tested.forward(x)
        #expect(tested.forwardMVM.lastBoundManagementFactor(0) == 4)
        var io = Self.io()
        io.bmTestNegativeBound = false
        let untested = try makeTile(w, forward: io)
        let y = try untested.forward(x)
        #expect(untested.forwardMVM.lastBoundManagementFactor(0) == 1)
        for v in y.storage { #expect(abs(v + 12) < 1e-4, "clipped at −out_bound without BM: \(v)") }
    }

    @Test func iterativeWorstCaseFirstSwitchesToTheWorstCaseScale() throws {
        // 0.5·ones(8×64), x = ones: the worst-case scale is max(1, min(0.25·63, 64·0.6/12)) = 3.2;
        // the second pass (β reset to 1) no longer clips: output ≈ 32 with β = 1.
        let w = constant(rows: 8, cols: 64, 0.5)
        let tile = try makeTile(w, forward: Self.io(.iterativeWorstCase))
        let y = try tile.forward(Matrix([Self.ones(64)]))
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) == 1)
        for v in y.storage { #expect(abs(v - 32) <= 0.035 * 32, "worst-case pass should recover 32: \(v)") }
        // 0.5·ones(8×512): scale min(15.75, 25.6) = 15.75 still clips (16.25), β doubles once.
        let t2 = try makeTile(constant(rows: 8, cols: 512, 0.5), forward: Self.io(.iterativeWorstCase))
        let y2 = try t2.forward(Matrix([Self.ones(512)]))
        #expect(t2.forwardMVM.lastBoundManagementFactor(0) == 2)
        for v in y2.storage { #expect(abs(v - 256) <= 0.05 * 256, "\(v)") }
    }

    /// Samples that did not clip keep their pass-0 result, bit for bit, and β = 1; only the
    /// clipping samples are recomputed. Checked with noise on, against a BM-free tile with the
    /// same seeds (whose noise for pass 0 is the same by construction).
    @Test func samplesThatDidNotClipAreUntouched() throws {
        let w = constant(rows: 8, cols: 64, 0.5)
        let x = Matrix([Self.ones(64, count: 1), Self.ones(64), Self.ones(64, count: 3), Self.ones(64, count: 40)])
        var noisy = IOParameters()
        noisy.outNoise = 0.06
        let withBM = try makeTile(w, forward: noisy)
        var noBM = noisy
        noBM.boundManagement = .none
        let without = try makeTile(w, forward: noBM)
        for _ in 0..<3 {   // several calls: the call counter advances identically
            let a = try withBM.forward(x)
            let b = try without.forward(x)
            for s in [0, 2] {
                #expect(withBM.forwardMVM.lastBoundManagementFactor(s) == 1)
                #expect(a.row(s) == b.row(s), "sample \(s) did not clip and must keep its pass-0 bytes")
            }
            for s in [1, 3] {
                #expect(withBM.forwardMVM.lastBoundManagementFactor(s) > 1)
                #expect(a.row(s) != b.row(s))
            }
        }
    }

    /// Backward never uses bound management, even if the backward IO asks for it.
    @Test func backwardIgnoresBoundManagement() throws {
        let w = constant(rows: 64, cols: 8, 0.5)   // Wᵀ·ones(64) = 32 per line
        var backwardIO = Self.io(.iterative)
        backwardIO.outNoise = 0.06
        let tile = try makeTile(w, forward: Self.io(), backward: backwardIO)
        var none = backwardIO
        none.boundManagement = .none
        let reference = try makeTile(w, forward: Self.io(), backward: none)
        let d = Matrix([Self.ones(64), Self.ones(64, count: 10)])
        let z = try tile.backward(d)
        let zr = try reference.backward(d)
        #expect(z.storage == zr.storage)
        #expect(tile.backwardMVM.lastBoundManagementFactor(0) == 1)
        for v in z.row(0) { #expect(abs(v - 12) < 1e-4, "clipped at out_bound: \(v)") }
    }
}
