import Foundation
import Testing
import CrossbarKit
import TestSupport

/// Analytic gradients (backward + floating-point update) against central finite differences
/// of the Float32 loss.
///
/// Tolerance: with step h = 1e-2 the central difference has truncation error h²/6·|L‴| ≲ 2e-5
/// (|L‴| ≲ 1 for these small, bounded nets) and rounding error ≈ a few ulp(L ≈ 1)/(2h) ≈ 1e-5,
/// so |fd − analytic| ≤ 1e-4 + 1e-2·|analytic| holds with margin, while a wrong derivative
/// (a missing factor, a transposed index, a wrong batch scaling) is off by O(|analytic|).
@Suite struct GradientCheckTests {
    let h: Float = 1e-2
    let batch = 4
    let classes = 3

    func makeNet() throws -> [any Layer] {
        let seeds = SeedSet(master: 5)
        return [
            try AnalogLinear(inFeatures: 5, outFeatures: 6, tiles: fp, path: "layer0", seeds: seeds),
            Sigmoid(shape: TensorShape(features: 6)),
            try AnalogLinear(inFeatures: 6, outFeatures: 5, options: AnalogLayerOptions(digitalBias: false), tiles: fp, path: "layer2", seeds: seeds),
            Tanh(shape: TensorShape(features: 5)),
            try AnalogLinear(inFeatures: 5, outFeatures: 3, options: AnalogLayerOptions(weightScalingOmega: 0.6), tiles: fp, path: "layer4", seeds: seeds),
        ]
    }

    func loss(_ net: [any Layer], _ x: [Float], _ labels: [Int32]) -> Float {
        lossAndGradient(runForward(net, x, batch: batch, training: false), labels: labels, classes: classes).0
    }

    func within(_ analytic: Float, _ numeric: Float) -> Bool {
        abs(analytic - numeric) <= 1e-4 + 1e-2 * abs(analytic)
    }

    @Test func inputAndParameterGradientsMatchFiniteDifferences() throws {
        let net = try makeNet()
        var x = randomArray(batch * 5, seed: 41, lo: -2, hi: 2)
        let labels: [Int32] = [0, 2, 1, 2]

        // Analytic: backward through every layer, then an update with η = 1 on the
        // floating-point tiles moves every logical parameter by exactly −∂L/∂p.
        let logits = runForward(net, x, batch: batch)
        let (_, g) = lossAndGradient(logits, labels: labels, classes: classes)
        let dx = runBackward(net, g, batch: batch)
        let analog = net.compactMap { $0 as? any AnalogLayer }
        let before = analog.map { $0.logicalWeights() }
        for l in net { l.update(learningRate: 1) }
        let after = analog.map { $0.logicalWeights() }
        for l in analog.indices { try analog[l].setLogicalWeights(before[l].weights, bias: before[l].bias) }

        var checked = 0
        for i in x.indices {
            let saved = x[i]
            x[i] = saved + h; let up = loss(net, x, labels)
            x[i] = saved - h; let down = loss(net, x, labels)
            x[i] = saved
            #expect(within(dx[i], (up - down) / (2 * h)), "∂L/∂x[\(i)]")
            checked += 1
        }
        for l in analog.indices {
            var w = before[l].weights
            let b = before[l].bias!
            for k in w.storage.indices {
                let analytic = w.storage[k] - after[l].weights.storage[k]
                let saved = w.storage[k]
                w.storage[k] = saved + h; try analog[l].setLogicalWeights(w, bias: b); let up = loss(net, x, labels)
                w.storage[k] = saved - h; try analog[l].setLogicalWeights(w, bias: b); let down = loss(net, x, labels)
                w.storage[k] = saved; try analog[l].setLogicalWeights(w, bias: b)
                #expect(within(analytic, (up - down) / (2 * h)), "layer \(l) ∂L/∂W[\(k)]")
                checked += 1
            }
            var bb = b
            for k in bb.indices {
                let analytic = b[k] - after[l].bias![k]
                bb[k] = b[k] + h; try analog[l].setLogicalWeights(w, bias: bb); let up = loss(net, x, labels)
                bb[k] = b[k] - h; try analog[l].setLogicalWeights(w, bias: bb); let down = loss(net, x, labels)
                bb[k] = b[k]; try analog[l].setLogicalWeights(w, bias: bb)
                #expect(within(analytic, (up - down) / (2 * h)), "layer \(l) ∂L/∂b[\(k)]")
                checked += 1
            }
        }
        #expect(checked == 20 + (30 + 6) + (30 + 5) + (15 + 3))
    }

    /// ReLU is piecewise linear: inputs kept ≥ 0.1 away from the kink make the central
    /// difference exact up to rounding.
    @Test func reluGradientMatchesFiniteDifferences() throws {
        let relu = ReLU(shape: TensorShape(features: 6))
        let lin = try AnalogLinear(inFeatures: 6, outFeatures: 3, tiles: fp, path: "layer1", seeds: SeedSet(master: 3))
        var x = randomArray(batch * 6, seed: 51).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        let labels: [Int32] = [1, 0, 2, 1]
        let (_, g) = lossAndGradient(runForward([relu, lin], x, batch: batch), labels: labels, classes: 3)
        let dx = runBackward([relu, lin], g, batch: batch)
        for i in x.indices {
            if x[i] < 0 { #expect(dx[i] == 0) }
            let saved = x[i]
            x[i] = saved + 0.05
            let up = lossAndGradient(runForward([relu, lin], x, batch: batch, training: false), labels: labels, classes: 3).0
            x[i] = saved - 0.05
            let down = lossAndGradient(runForward([relu, lin], x, batch: batch, training: false), labels: labels, classes: 3).0
            x[i] = saved
            #expect(abs(dx[i] - (up - down) / 0.1) <= 1e-4 + 1e-2 * abs(dx[i]))
        }
    }

    /// The rational tanh against libm's tanh in Double on a fine grid over ±12: the
    /// approximation error (≤ 2.6e-7 relative) plus Float rounding of ~20 operations
    /// (≲ 20 · 6e-8) stays below 1.5e-6; it is odd, bounded by 1 and saturates to exactly ±1.
    @Test func tanhApproximationIsAccurate() {
        var worst: Double = 0
        for i in -120_000...120_000 {
            let x = Float(i) * 1e-4
            let y = TanhFunction.value(x)
            worst = max(worst, abs(Double(y) - tanh(Double(x))))
            #expect(abs(y) <= 1)
            if i > 0 && i % 997 == 0 { #expect(TanhFunction.value(-x) == -y) }
        }
        #expect(worst < 1.5e-6)
        #expect(TanhFunction.value(100) == 1 && TanhFunction.value(-100) == -1 && TanhFunction.value(0) == 0)
        #expect(abs(TanhFunction.value(1e-5) - 1e-5) < 1e-11)
    }

    @Test func lossIsMeanNLLWithBatchScaledGradient() {
        // Two samples; logits chosen so the softmax is known in closed form.
        let logits: [Float] = [0, 0, 0, 2, 0, 0]
        let (l, g) = lossAndGradient(logits, labels: [1, 0], classes: 3)
        let e2 = Float(2).exponentiated()
        let expected = (logf(3) + (logf(e2 + 2) - 2)) / 2
        #expect(abs(l - expected) < 1e-6)
        // (softmax − onehot) / batch.
        let want: [Float] = [1 / 6, (1 / 3 - 1) / 2, 1 / 6, (e2 / (e2 + 2) - 1) / 2, 1 / (e2 + 2) / 2, 1 / (e2 + 2) / 2]
        for i in g.indices { #expect(abs(g[i] - want[i]) < 1e-6) }
    }

    @Test func lossIsStableForHugeLogits() {
        let (l, g) = lossAndGradient([1000, 0, -1000, 50, 60, 55], labels: [1, 1], classes: 3)
        #expect(l.isFinite && g.allSatisfy { $0.isFinite })
        // Sample 0: loss 1000; sample 1: logsumexp(50, 60, 55) − 60 = log(1 + e^−10 + e^−5).
        let second = logf(1 + expf(-10) + expf(-5))
        #expect(abs(l - (1000 + second) / 2) < 1e-3)
        #expect(abs(g[0] - 0.5) < 1e-6 && abs(g[1] + 0.5) < 1e-6)
        #expect(LogSoftmaxNLLLoss.logSoftmax([1000, 0]).allSatisfy { $0.isFinite })
    }
}

extension Float {
    func exponentiated() -> Float { expf(self) }
}
