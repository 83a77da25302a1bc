import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms

/// A fully connected layer on an analog tile (aihwkit `AnalogLinear`, docs/training.md, "Training semantics"):
/// y = s · W_tile x + b.
///
/// Backward computes ∂L/∂x = s · W_tileᵀ g through the tile's backward MVM (skipped when the
/// caller does not need it) and stores x and d = g/s; ``update(learningRate:)`` calls the
/// tile's update once with all samples of the mini-batch (the tile core decides how to apply
/// them — one GEMM for floating point, sequential per-sample pulses for devices) and takes a
/// digital SGD step for a digital bias (∂L/∂b = Σ_batch g).
public final class AnalogLinear: AnalogLayer {
    public let inFeatures: Int
    public let outFeatures: Int
    let mapping: AnalogTileMapping
    private let inputs = ScratchBuffer<Float>()       // training inputs [batch × tileIn] (kept for update)
    private let evalInputs = ScratchBuffer<Float>()   // inputs extended by 1 for inference
    private let inputGrad = ScratchBuffer<Float>()    // ∂L/∂x without the bias column

    /// - Parameters:
    ///   - inFeatures: inputs per sample.
    ///   - outFeatures: outputs per sample.
    ///   - bias: whether the layer has a bias (digital by default, see `AnalogLayerOptions`).
    ///   - options: the mapping of the weights onto the tile (bias, weight scaling).
    ///   - tiles: creates the [out × in(+1)] tile.
    ///   - path: names the tile (its random streams derive from it).
    ///   - seeds: the `initialization` stream of `path` draws W and b uniformly in ±1/√in.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, options: AnalogLayerOptions = AnalogLayerOptions(),
                tiles: TileFactory, path: String, seeds: SeedSet) throws {
        try Check.atLeast(inFeatures, 1, "\(path).in_features")
        try Check.atLeast(outFeatures, 1, "\(path).out_features")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        mapping = try AnalogTileMapping(outSize: outFeatures, fanIn: inFeatures, hasBias: bias, options: options,
                                        tiles: tiles, path: path, seeds: seeds)
    }

    public var inputShape: TensorShape { TensorShape(features: inFeatures) }
    public var outputShape: TensorShape { TensorShape(features: outFeatures) }
    public var tile: AnalogTile { mapping.tile }
    public var weightScale: Float { mapping.scale }
    public var digitalParameters: [DigitalParameter] { mapping.bias.map { [$0] } ?? [] }
    public var description: String {
        "AnalogLinear(\(inFeatures)→\(outFeatures)\(mapping.analogBias ? ", analog bias" : mapping.bias == nil ? ", no bias" : ""))"
    }

    public func forward(_ inputBuffer: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer {
        let input = inputBuffer.pointer
        let n = inFeatures, t = mapping.tileInSize
        var x = input
        if training || mapping.analogBias {
            let buffer = (training ? inputs : evalInputs).ensure(batch * t)
            if t == n {
                buffer.update(from: input, count: batch * n)
            } else {
                for b in 0..<batch {
                    (buffer + b * t).update(from: input + b * n, count: n)
                    buffer[b * t + n] = 1
                }
            }
            x = UnsafePointer(buffer)
        }
        return FloatBuffer(mapping.forward(x, rows: batch), count: batch * outFeatures)
    }

    public func backward(_ gradBuffer: FloatBuffer, batch: Int, computeInputGradient: Bool) -> FloatBuffer? {
        let gradOutput = gradBuffer.pointer
        guard let dx = mapping.backward(gradOutput, rows: batch, computeInputGradient: computeInputGradient) else { return nil }
        let n = inFeatures, t = mapping.tileInSize
        if t == n { return FloatBuffer(dx, count: batch * n) }
        let out = inputGrad.ensure(batch * n)
        for b in 0..<batch { (out + b * n).update(from: dx + b * t, count: n) }
        return FloatBuffer(out, count: batch * n)
    }

    public func update(learningRate: Float) {
        mapping.update(x: inputs.pointer, learningRate: learningRate)
    }

    public func logicalWeights() -> (weights: Matrix, bias: [Float]?) { mapping.logicalWeights() }
    public func setLogicalWeights(_ weights: Matrix, bias: [Float]?) throws { try mapping.setLogicalWeights(weights, bias: bias) }
    public func restoreWeightScale(_ scale: Float) throws { try mapping.restoreScale(scale) }
}
