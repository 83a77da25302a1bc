import Foundation
import Testing
import CrossbarKit
import TestSupport

/// The LSTM character model's analytic gradients (backpropagation through time + an update
/// with η = 1 on floating-point tiles, which moves every logical parameter by exactly −∂L/∂p)
/// against central finite differences of the Float32 loss.
///
/// Tolerance: the loss is ≈ ln V ≈ 1.4. With step h = 1e-2 the truncation error of the central
/// difference is h²/6·|L‴| ≲ 2e-5 (|L‴| ≲ 1 for these small saturating nets), and the Float32
/// rounding error of the loss (a few hundred operations, ≲ 10 ulp(1.4) ≈ 1.2e-6) divided by 2h
/// contributes ≲ 6e-5; so |fd − analytic| ≤ 1e-4 + 1e-2·|analytic| holds with margin, while a
/// wrong derivative (a missing gate factor, a time step off by one, a mask not applied, a
/// wrong batch scaling) is off by O(|analytic|). The tanh of the model is a rational
/// approximation (relative error ≤ 2.6e-7), far below this tolerance.
@Suite struct LSTMGradientCheckTests {
    let h: Float = 1e-2
    let vocabulary = 4
    let batch = 2
    let steps = 4
    let tokens: [Int32] = [0, 2, 1, 3, 3, 1, 0, 2]
    let targets: [Int32] = [2, 1, 3, 0, 1, 0, 2, 1]

    func makeModel(layerOptions: AnalogLayerOptions, dropout: Float) throws -> LSTMCharacterModel {
        try LSTMCharacterModel(vocabularySize: vocabulary,
                               options: LSTMModelOptions(hiddenSize: 3, layers: 2, dropout: dropout, gradientClipNorm: 0),
                               tiles: fp, layerOptions: layerOptions, seeds: SeedSet(master: 9))
    }

    /// The loss of the training forward (the dropout masks of draw 7 are the same every time).
    func loss(_ model: LSTMCharacterModel) -> Float {
        let logits = tokens.withUnsafeBufferPointer {
            model.forward(tokens: $0.baseAddress!, batch: batch, steps: steps, training: true, draw: 7).array
        }
        return lossAndGradient(logits, labels: targets, classes: vocabulary).0
    }

    func within(_ analytic: Float, _ numeric: Float) -> Bool {
        abs(analytic - numeric) <= 1e-4 + 1e-2 * abs(analytic)
    }

    /// (get, set) of the logical weights of every analog layer: the two LSTM layers, the read-out.
    func layers(_ model: LSTMCharacterModel) -> [(get: () -> (weights: Matrix, bias: [Float]?), set: (Matrix, [Float]?) throws -> Void)] {
        model.recurrentLayers.map { l in (l.logicalWeights, l.setLogicalWeights) }
            + [(model.readout.logicalWeights, model.readout.setLogicalWeights)]
    }

    func checkGradients(layerOptions: AnalogLayerOptions, dropout: Float) throws {
        let model = try makeModel(layerOptions: layerOptions, dropout: dropout)
        for layer in layers(model) {
            // Weights three times the initial range (±3/√H): larger pre-activations and hidden
            // states give gradients well above the absolute tolerance.
            let (w, b) = layer.get()
            try layer.set(Matrix(rows: w.rows, cols: w.cols, storage: w.storage.map { 3 * $0 }), b.map { $0.map { 3 * $0 } })
        }
        let logits = tokens.withUnsafeBufferPointer {
            model.forward(tokens: $0.baseAddress!, batch: batch, steps: steps, training: true, draw: 7).array
        }
        let (_, g) = lossAndGradient(logits, labels: targets, classes: vocabulary)
        g.withUnsafeBufferPointer { model.backward(FloatBuffer($0.baseAddress!, count: $0.count)) }
        let all = layers(model)
        let before = all.map { $0.get() }
        model.update(learningRate: 1)
        let after = all.map { $0.get() }
        for l in all.indices { try all[l].set(before[l].weights, before[l].bias) }

        var checked = 0, nonZero = 0
        for l in all.indices {
            var w = before[l].weights
            let b = before[l].bias!
            for k in w.storage.indices {
                let analytic = w.storage[k] - after[l].weights.storage[k]
                let saved = w.storage[k]
                w.storage[k] = saved + h; try all[l].set(w, b); let up = loss(model)
                w.storage[k] = saved - h; try all[l].set(w, b); let down = loss(model)
                w.storage[k] = saved; try all[l].set(w, b)
                #expect(within(analytic, (up - down) / (2 * h)), "layer \(l) ∂L/∂W[\(k)]: analytic \(analytic), numeric \((up - down) / (2 * h))")
                checked += 1
                if abs(analytic) > 1e-3 { nonZero += 1 }
            }
            var bb = b
            for k in bb.indices {
                let analytic = b[k] - after[l].bias![k]
                bb[k] = b[k] + h; try all[l].set(w, bb); let up = loss(model)
                bb[k] = b[k] - h; try all[l].set(w, bb); let down = loss(model)
                bb[k] = b[k]; try all[l].set(w, bb)
                #expect(within(analytic, (up - down) / (2 * h)), "layer \(l) ∂L/∂b[\(k)]: analytic \(analytic), numeric \((up - down) / (2 * h))")
                checked += 1
            }
        }
        // 4H × (V + H) + 4H, 4H × 2H + 4H, V × H + V parameters with H = 3, V = 4.
        #expect(checked == (12 * 7 + 12) + (12 * 6 + 12) + (4 * 3 + 4))
        // The check is not vacuous: a fifth of the gradients (44 and 48 of 196 with this seed)
        // are over ten times the absolute tolerance, where a wrong factor cannot hide.
        #expect(nonZero >= checked / 5, "\(nonZero) of \(checked) gradients above 1e-3")
    }

    /// Gradient-norm clipping acts on the digital biases of all layers jointly (scaled by
    /// max_norm / (‖g‖ + 1e-6)) and leaves the analog weights' update alone.
    @Test func clippingScalesTheJointDigitalGradient() throws {
        func step(clip: Float) throws -> [(weights: Matrix, bias: [Float]?)] {
            let model = try LSTMCharacterModel(vocabularySize: vocabulary,
                                               options: LSTMModelOptions(hiddenSize: 3, layers: 2, dropout: 0, gradientClipNorm: clip),
                                               tiles: fp, seeds: SeedSet(master: 9))
            let logits = tokens.withUnsafeBufferPointer {
                model.forward(tokens: $0.baseAddress!, batch: batch, steps: steps, training: true).array
            }
            let (_, g) = lossAndGradient(logits, labels: targets, classes: vocabulary)
            g.withUnsafeBufferPointer { model.backward(FloatBuffer($0.baseAddress!, count: $0.count)) }
            model.update(learningRate: 1)
            return layers(model).map { $0.get() }
        }
        let initial = try layers(makeModel(layerOptions: AnalogLayerOptions(), dropout: 0)).map { $0.get() }
        let free = try step(clip: 0)
        // ‖g‖ of all digital biases together, from the unclipped step (η = 1: Δb = −g).
        var squares: Double = 0
        for l in initial.indices { for k in initial[l].bias!.indices { squares += pow(Double(initial[l].bias![k] - free[l].bias![k]), 2) } }
        let norm = squares.squareRoot()
        let maxNorm: Float = 1e-3
        #expect(norm > 100 * Double(maxNorm))   // clipping really acts
        let clipped = try step(clip: maxNorm)
        let factor = Double(maxNorm) / (norm + 1e-6)
        for l in initial.indices {
            #expect(clipped[l].weights.storage == free[l].weights.storage, "layer \(l): weights do not depend on the clipping")
            for k in initial[l].bias!.indices {
                let want = Double(initial[l].bias![k] - free[l].bias![k]) * factor
                let got = Double(initial[l].bias![k] - clipped[l].bias![k])
                // Float32 bias values ≈ 0.5 lose ≈ 3e-8 to rounding in b − η·g: far below 1e-6.
                #expect(abs(got - want) <= 1e-6, "layer \(l) bias \(k): \(got) vs \(want)")
            }
        }
    }

    @Test func digitalBiasGradientsMatchFiniteDifferences() throws {
        try checkGradients(layerOptions: AnalogLayerOptions(), dropout: 0)
    }

    /// Analog bias column, weight scaling (s ≠ 1 scales forward, backward and update errors)
    /// and dropout between the layers (the masks of the loss's draw).
    @Test func analogBiasWeightScalingAndDropoutGradientsMatchFiniteDifferences() throws {
        try checkGradients(layerOptions: AnalogLayerOptions(digitalBias: false, weightScalingOmega: 0.6), dropout: 0.5)
    }
}
