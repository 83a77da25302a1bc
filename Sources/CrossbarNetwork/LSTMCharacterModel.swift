import Foundation
import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms

/// The paper's recurrent benchmark: a character-level language model of stacked
/// ``AnalogLSTM`` layers with an analog linear read-out to the vocabulary.
///
///     one-hot(c_t) → LSTM layer0 → dropout → LSTM layer1 → … → LSTM layer(L−1) → AnalogLinear(H → V)
///
/// - Tiles: recurrent layer l has the path `"layer<l>"`, the read-out `"layer<L>"`; digital
///   biases are named `"layer<i>.bias"`.
/// - Dropout (probability p, training only) acts on the output of every recurrent layer but
///   the last; kept values are scaled by 1/(1 − p). The mask of recurrent layer l for mini-batch
///   `draw` comes from the `dropout` stream of `"layer<l>"`, generator `draw`: a function of the
///   seed, the layer and the mini-batch number, so a resumed run draws the same masks.
/// - The read-out sees the rows batch-major (row b·T + t is sequence b at step t), as the
///   reference flattens its [batch, time] output; its pulsed update applies the rows in that
///   order. Logits have the same row order.
/// - The loss the caller differentiates is the mean cross-entropy over all B·T characters, so
///   the error every tile receives is ∂(mean loss)/∂output.
public final class LSTMCharacterModel: CustomStringConvertible {
    /// V: size of the one-hot input and of the logits (≥ 2).
    public let vocabularySize: Int
    public let options: LSTMModelOptions
    public let recurrentLayers: [AnalogLSTM]
    public let readout: AnalogLinear
    public let seeds: SeedSet

    private let oneHot = ScratchBuffer<Float>()           // [T × B × V]
    private let droppedOutputs: [ScratchBuffer<Float>]    // per layer but the last, [T × B × H]
    private let dropoutMasks: [ScratchBuffer<Float>]      // 0 or 1/(1 − p), [T × B × H]
    private let readoutInputs = ScratchBuffer<Float>()    // [B × T × H], batch-major
    private let hiddenGrad = ScratchBuffer<Float>()       // [T × B × H], time-major
    private let layerGrad = ScratchBuffer<Float>()        // [T × B × H]
    private var steps = 0
    private var batch = 0
    private var maskedLastForward = false
    /// The digital parameters of all layers (fixed at construction; clipped together).
    private let digitalParameterList: [DigitalParameter]

    /// - Parameters:
    ///   - vocabularySize: V (≥ 2).
    ///   - options: hidden size, layers, dropout, gradient clipping.
    ///   - tiles: creates every tile (any configuration: fp, devices, training algorithms).
    ///   - layerOptions: the mapping of every layer (digital or analog bias, weight scaling).
    ///   - seeds: initialisation, dropout and every tile's streams derive from it.
    public init(vocabularySize: Int, options: LSTMModelOptions, tiles: TileFactory,
                layerOptions: AnalogLayerOptions = AnalogLayerOptions(), seeds: SeedSet) throws {
        try options.validate()
        guard vocabularySize >= 2 else {
            throw CrossbarError.invalidParameter(field: "vocabulary_size", value: "\(vocabularySize)", allowed: "≥ 2 characters")
        }
        self.vocabularySize = vocabularySize
        self.options = options
        self.seeds = seeds
        let h = options.hiddenSize
        recurrentLayers = try (0..<options.layers).map { l in
            try AnalogLSTM(inputSize: l == 0 ? vocabularySize : h, hiddenSize: h, options: layerOptions, tiles: tiles,
                           path: "layer\(l)", seeds: seeds)
        }
        readout = try AnalogLinear(inFeatures: h, outFeatures: vocabularySize, options: layerOptions, tiles: tiles,
                                   path: "layer\(options.layers)", seeds: seeds)
        droppedOutputs = (1..<max(options.layers, 1)).map { _ in ScratchBuffer<Float>() }
        dropoutMasks = (1..<max(options.layers, 1)).map { _ in ScratchBuffer<Float>() }
        digitalParameterList = recurrentLayers.flatMap(\.digitalParameters) + readout.digitalParameters
    }

    /// Logits [B·T × V] (row b·T + t: the prediction of the character after `tokens[b·T + t]`)
    /// for B sequences of T character indices, `tokens` batch-major [B × T], each in 0..<V.
    /// Valid until the next forward. With `training` the model keeps what backward and update
    /// need and applies dropout with the masks of mini-batch number `draw`.
    package func forward(tokens: UnsafePointer<Int32>, batch: Int, steps: Int, training: Bool, draw: UInt64 = 0) -> FloatBuffer {
        precondition(batch >= 1 && steps >= 1)
        let v = vocabularySize, h = options.hiddenSize
        let x = oneHot.ensure(steps * batch * v)
        x.update(repeating: 0, count: steps * batch * v)
        for b in 0..<batch {
            for t in 0..<steps {
                let token = Int(tokens[b * steps + t])
                precondition(token >= 0 && token < v, "character index out of the vocabulary")
                x[(t * batch + b) * v + token] = 1
            }
        }
        let masked = training && options.dropout > 0
        var input = UnsafePointer(x)
        var top: UnsafeMutablePointer<Float>? = nil
        for (l, layer) in recurrentLayers.enumerated() {
            let y = layer.forward(input, steps: steps, batch: batch, training: training)
            top = y
            if l < recurrentLayers.count - 1 && masked {
                input = UnsafePointer(applyDropout(y, layer: l, count: steps * batch * h, draw: draw))
            } else {
                input = UnsafePointer(y)
            }
        }
        let r = readoutInputs.ensure(batch * steps * h)
        for t in 0..<steps {
            for b in 0..<batch { (r + (b * steps + t) * h).update(from: top! + (t * batch + b) * h, count: h) }
        }
        if training {
            self.steps = steps
            self.batch = batch
            maskedLastForward = masked
        }
        return readout.forward(FloatBuffer(r, count: batch * steps * h), batch: batch * steps, training: training)
    }

    /// Inverted dropout of layer `l`'s output into its dropped buffer; keeps the mask.
    private func applyDropout(_ y: UnsafeMutablePointer<Float>, layer l: Int, count: Int, draw: UInt64) -> UnsafeMutablePointer<Float> {
        let p = options.dropout, keep = 1 / (1 - p)
        let out = droppedOutputs[l].ensure(count), mask = dropoutMasks[l].ensure(count)
        var g = seeds.key(.dropout, "layer\(l)").generator(draw)
        for k in 0..<count {
            let m: Float = g.nextUniform() < p ? 0 : keep
            mask[k] = m
            out[k] = y[k] * m
        }
        return out
    }

    /// Backpropagates ∂L/∂logits [B·T × V] of the last training forward through the read-out
    /// and all recurrent layers (through time), storing every layer's update.
    public func backward(_ gradLogits: FloatBuffer) {
        let h = options.hiddenSize, rows = batch * steps
        precondition(rows > 0, "LSTMCharacterModel.backward without a training forward")
        let dr = readout.backward(gradLogits, batch: rows, computeInputGradient: true)!.pointer
        let g = hiddenGrad.ensure(rows * h)
        for b in 0..<batch {
            for t in 0..<steps { (g + (t * batch + b) * h).update(from: dr + (b * steps + t) * h, count: h) }
        }
        var gradOutput = UnsafePointer(g)
        for l in stride(from: recurrentLayers.count - 1, through: 0, by: -1) {
            guard let dx = recurrentLayers[l].backward(gradOutput, computeInputGradient: l > 0) else { break }
            let below = layerGrad.ensure(rows * h)
            if maskedLastForward {
                let mask = dropoutMasks[l - 1].pointer
                for k in 0..<(rows * h) { below[k] = dx[k] * mask[k] }
            } else {
                below.update(from: dx, count: rows * h)
            }
            gradOutput = UnsafePointer(below)
        }
    }

    /// One optimizer step: clips the digital gradients to ``LSTMModelOptions/gradientClipNorm``
    /// (jointly, as torch's `clip_grad_norm_`), then updates every recurrent layer (bottom up)
    /// and the read-out with learning rate η ≥ 0.
    public func update(learningRate: Float) {
        clipDigitalGradients()
        for layer in recurrentLayers { layer.update(learningRate: learningRate) }
        readout.update(learningRate: learningRate)
    }

    /// Scales all digital gradients by max_norm / (‖g‖ + 1e-6) when that is below 1.
    private func clipDigitalGradients() {
        let maxNorm = options.gradientClipNorm
        guard maxNorm > 0 else { return }
        let params = digitalParameterList
        var sum: Double = 0
        for p in params { for k in 0..<p.count { sum += Double(p.gradient[k]) * Double(p.gradient[k]) } }
        let coefficient = Double(maxNorm) / (sum.squareRoot() + 1e-6)
        guard coefficient < 1 else { return }
        for p in params { for k in 0..<p.count { p.gradient[k] = Float(Double(p.gradient[k]) * coefficient) } }
    }

    /// The analog tiles in layer order (recurrent layers, then the read-out).
    public var analogTiles: [AnalogTile] { recurrentLayers.map(\.tile) + [readout.tile] }

    /// (tile path, weight scale s) of every analog layer in layer order, for checkpoints.
    public var weightScales: [(path: String, scale: Float)] {
        recurrentLayers.map { (path: $0.tile.path, scale: $0.weightScale) } + [(path: readout.tile.path, scale: readout.weightScale)]
    }

    /// Restores the weight scale s of the layer whose tile has `path`.
    public func restoreWeightScale(path: String, _ scale: Float) throws {
        if let layer = recurrentLayers.first(where: { $0.tile.path == path }) {
            try layer.restoreWeightScale(scale)
        } else if readout.tile.path == path {
            try readout.restoreWeightScale(scale)
        } else {
            throw CrossbarError.message("no analog layer '\(path)' in the LSTM model")
        }
    }

    /// All digital parameters by qualified name `"layer<i>.<name>"`.
    public var digitalParameters: [(name: String, parameter: DigitalParameter)] {
        var out: [(name: String, parameter: DigitalParameter)] = []
        for (l, layer) in recurrentLayers.enumerated() {
            for p in layer.digitalParameters { out.append((name: "layer\(l).\(p.name)", parameter: p)) }
        }
        for p in readout.digitalParameters { out.append((name: "layer\(recurrentLayers.count).\(p.name)", parameter: p)) }
        return out
    }

    public var description: String {
        var lines = recurrentLayers.enumerated().map { "  layer\($0.offset): \($0.element.description)" }
        if options.layers > 1 && options.dropout > 0 { lines.append("  dropout \(options.dropout) between recurrent layers") }
        lines.append("  layer\(recurrentLayers.count): \(readout.description)")
        return lines.joined(separator: "\n")
    }
}
