import Testing
import CrossbarKit
import TestSupport

/// Float32 im2col + GEMM against a Double direct-loop reference: sums of ≤ 3·3·3 = 27
/// products of magnitude < 1 carry rounding errors ~27·6e-8 ≈ 2e-6, so atol 1e-5 with rtol
/// 1e-4 is loose enough for rounding and far tighter than any indexing mistake (errors O(0.1)).
@Suite struct ConvolutionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let cin, h, w, cout, k, stride, pad: Int
        let omega: Float
        var testDescription: String { "\(cin)×\(h)×\(w)→\(cout), k\(k) s\(stride) p\(pad) ω\(omega)" }
    }

    static let cases: [Case] = [
        Case(cin: 1, h: 6, w: 6, cout: 2, k: 3, stride: 1, pad: 0, omega: 0),
        Case(cin: 3, h: 7, w: 5, cout: 4, k: 3, stride: 2, pad: 1, omega: 0),
        Case(cin: 2, h: 5, w: 6, cout: 3, k: 2, stride: 1, pad: 1, omega: 0.6),
    ]

    @Test(arguments: cases)
    func forwardBackwardAndUpdateMatchDirectConvolution(_ c: Case) throws {
        let batch = 3
        let shape = TensorShape(channels: c.cin, height: c.h, width: c.w)
        let conv = try AnalogConv2d(inputShape: shape, outChannels: c.cout, kernelSize: c.k, stride: c.stride, padding: c.pad,
                                    options: AnalogLayerOptions(weightScalingOmega: c.omega), tiles: fp, path: "layer0", seeds: SeedSet(master: 7))
        let ref = NaiveConv(cin: c.cin, h: c.h, w: c.w, cout: c.cout, k: c.k, stride: c.stride, pad: c.pad)
        #expect(conv.outputShape == TensorShape(channels: c.cout, height: ref.oh, width: ref.ow))
        let (w0, b0Optional) = conv.logicalWeights()
        let b0 = try #require(b0Optional)
        if c.omega > 0 {
            // Weight scaling stores W/s with s = max|W|/ω: the largest tile weight is ω.
            let tileMax = conv.tile.weights().storage.map(abs).max()!
            #expect(abs(tileMax - c.omega) < 1e-6)
            #expect(conv.weightScale > 0 && conv.weightScale != 1)
        }
        let x = randomArray(batch * shape.count, seed: 11)
        let y = runForward([conv], x, batch: batch)
        #expect(worstRatio(y, ref.forward(x, weights: w0, bias: b0, batch: batch), rtol: 1e-4, atol: 1e-5) <= 1)

        let g = randomArray(y.count, seed: 12)
        let dx = runBackward([conv], g, batch: batch)
        #expect(worstRatio(dx, ref.inputGradient(g, weights: w0, batch: batch), rtol: 1e-4, atol: 1e-5) <= 1)

        // The floating-point tile applies W ← W − η Σ_(b,p) d xᵀ over all batch × position
        // patches: it must equal the direct-loop weight gradient.
        let eta: Float = 0.5
        conv.update(learningRate: eta)
        let (w1, b1) = conv.logicalWeights()
        let (dw, db) = ref.weightGradient(g, x, batch: batch)
        let expectedW = w0.storage.indices.map { Double(w0.storage[$0]) - Double(eta) * dw[$0] }
        let expectedB = b0.indices.map { Double(b0[$0]) - Double(eta) * db[$0] }
        #expect(worstRatio(w1.storage, expectedW, rtol: 1e-4, atol: 1e-5) <= 1)
        #expect(worstRatio(b1!, expectedB, rtol: 1e-4, atol: 1e-5) <= 1)
    }

    /// With an analog bias the bias is the tile's last column driven by a constant 1: same
    /// function, and the update changes it by −η Σ g like a digital bias.
    @Test func analogBiasColumnMatchesDirectConvolution() throws {
        let batch = 2
        let shape = TensorShape(channels: 2, height: 5, width: 5)
        let conv = try AnalogConv2d(inputShape: shape, outChannels: 3, kernelSize: 3, padding: 1,
                                    options: AnalogLayerOptions(digitalBias: false), tiles: fp, path: "layer0", seeds: SeedSet(master: 8))
        #expect(conv.tile.inSize == 2 * 9 + 1 && conv.digitalParameters.isEmpty)
        let ref = NaiveConv(cin: 2, h: 5, w: 5, cout: 3, k: 3, stride: 1, pad: 1)
        let (w0, b0) = conv.logicalWeights()
        let x = randomArray(batch * shape.count, seed: 21)
        let y = runForward([conv], x, batch: batch)
        #expect(worstRatio(y, ref.forward(x, weights: w0, bias: b0!, batch: batch), rtol: 1e-4, atol: 1e-5) <= 1)
        let g = randomArray(y.count, seed: 22)
        let dx = runBackward([conv], g, batch: batch)
        #expect(worstRatio(dx, ref.inputGradient(g, weights: w0, batch: batch), rtol: 1e-4, atol: 1e-5) <= 1)
        conv.update(learningRate: 0.25)
        let (_, b1) = conv.logicalWeights()
        let db = ref.weightGradient(g, x, batch: batch).bias
        #expect(worstRatio(b1!, b0!.indices.map { Double(b0![$0]) - 0.25 * db[$0] }, rtol: 1e-4, atol: 1e-5) <= 1)
    }

    @Test func maxPoolForwardAndBackwardRouteToArgmax() throws {
        let shape = TensorShape(channels: 2, height: 4, width: 5)
        let pool = try MaxPool2d(inputShape: shape, kernelSize: 2)
        #expect(pool.outputShape == TensorShape(channels: 2, height: 2, width: 2))
        let batch = 2
        let x = randomArray(batch * shape.count, seed: 31)
        let y = runForward([pool], x, batch: batch)
        let g = randomArray(y.count, seed: 32)
        let dx = runBackward([pool], g, batch: batch)
        var expectedDx = [Float](repeating: 0, count: x.count)
        for b in 0..<batch { for c in 0..<2 { for oy in 0..<2 { for ox in 0..<2 {
            var best = -Float.infinity, arg = -1
            for ky in 0..<2 { for kx in 0..<2 {
                let i = ((b * 2 + c) * 4 + oy * 2 + ky) * 5 + ox * 2 + kx
                if x[i] > best { best = x[i]; arg = i }
            } }
            let o = ((b * 2 + c) * 2 + oy) * 2 + ox
            #expect(y[o] == best)          // a copy of an input value, exact
            expectedDx[arg] += g[o]
        } } } }
        #expect(dx == expectedDx)          // pure routing, no arithmetic beyond one addition into 0
        // Column 4 of every row is outside all windows (5 = 2·2 + 1): its gradient is zero.
        for b in 0..<batch { for c in 0..<2 { for yy in 0..<4 { #expect(dx[((b * 2 + c) * 4 + yy) * 5 + 4] == 0) } } }
    }

    @Test func overlappingPoolAccumulatesGradients() throws {
        // 1×2×3 input, kernel 2, stride 1: the value 5 is the max of both windows.
        let p2 = try MaxPool2d(inputShape: TensorShape(channels: 1, height: 2, width: 3), kernelSize: 2, stride: 1)
        let x: [Float] = [0, 5, 1, 0, 2, 1]
        #expect(runForward([p2], x, batch: 1) == [5, 5])
        #expect(runBackward([p2], [1, 2], batch: 1) == [0, 3, 0, 0, 0, 0])
    }

    @Test func geometryErrorsNameTheField() {
        let shape = TensorShape(channels: 1, height: 4, width: 4)
        #expect(throws: CrossbarError.self) { try AnalogConv2d(inputShape: shape, outChannels: 2, kernelSize: 5, tiles: fp, path: "layer3", seeds: SeedSet(master: 1)) }
        do {
            _ = try AnalogConv2d(inputShape: shape, outChannels: 2, kernelSize: 3, padding: 3, tiles: fp, path: "layer3", seeds: SeedSet(master: 1))
            Issue.record("padding ≥ kernel must be rejected")
        } catch {
            #expect("\(error)".contains("'layer3.padding': 3"))
        }
    }
}
