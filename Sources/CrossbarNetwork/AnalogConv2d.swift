import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms

/// A 2-D convolution on an analog tile (aihwkit `AnalogConv2d`, docs/training.md, "Training semantics"), computed by
/// im2col: the tile is [outChannels × (inChannels · kh · kw)] (+1 column for an analog bias),
/// and each (sample, output position) patch is one tile input vector.
///
/// The forward pass runs the tile on batch × positions patch vectors; backward runs the tile's
/// backward MVM on the same number of error vectors and scatters them back (col2im). The
/// update therefore sees batch × positions (x, d) pairs, sample-major then position-major
/// (the reference's m_batch = N × output positions). Output layout: [batch × outChannels ×
/// outH × outW].
public final class AnalogConv2d: AnalogLayer {
    public let geometry: Conv2dGeometry
    public let outChannels: Int
    let mapping: AnalogTileMapping
    private let offsets: [Int32]                     // [positions × patchSize], −1 = padding
    private let patches = ScratchBuffer<Float>()     // training patches [batch·P × tileIn] (kept for update)
    private let evalPatches = ScratchBuffer<Float>()
    private let outputs = ScratchBuffer<Float>()     // [batch × outChannels × P]
    private let tileGrad = ScratchBuffer<Float>()    // ∂L/∂y in tile layout [batch·P × outChannels]
    private let inputGrad = ScratchBuffer<Float>()   // [batch × input.count]

    /// A square-kernel convolution (kernel, stride and padding the same in both directions).
    public convenience init(inputShape: TensorShape, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            bias: Bool = true, options: AnalogLayerOptions = AnalogLayerOptions(),
                            tiles: TileFactory, path: String, seeds: SeedSet) throws {
        let g = try Conv2dGeometry(input: inputShape, kernelHeight: kernelSize, kernelWidth: kernelSize,
                                   strideY: stride, strideX: stride, paddingY: padding, paddingX: padding, field: path)
        try self.init(geometry: g, outChannels: outChannels, bias: bias, options: options, tiles: tiles, path: path, seeds: seeds)
    }

    /// A convolution with any geometry. Weights and bias start uniform in ±1/√patchSize.
    public init(geometry: Conv2dGeometry, outChannels: Int, bias: Bool = true, options: AnalogLayerOptions = AnalogLayerOptions(),
                tiles: TileFactory, path: String, seeds: SeedSet) throws {
        try Check.atLeast(outChannels, 1, "\(path).out_channels")
        self.geometry = geometry
        self.outChannels = outChannels
        offsets = geometry.patchOffsets()
        mapping = try AnalogTileMapping(outSize: outChannels, fanIn: geometry.patchSize, hasBias: bias, options: options,
                                        tiles: tiles, path: path, seeds: seeds)
    }

    public var inputShape: TensorShape { geometry.input }
    public var outputShape: TensorShape { TensorShape(channels: outChannels, height: geometry.outputHeight, width: geometry.outputWidth) }
    public var tile: AnalogTile { mapping.tile }
    public var weightScale: Float { mapping.scale }
    public var digitalParameters: [DigitalParameter] { mapping.bias.map { [$0] } ?? [] }
    public var description: String {
        "AnalogConv2d(\(geometry.input.channels)→\(outChannels), \(geometry)\(mapping.analogBias ? ", analog bias" : mapping.bias == nil ? ", no bias" : ""))"
    }

    public func forward(_ inputBuffer: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer {
        let input = inputBuffer.pointer
        let positions = geometry.positions, k = geometry.patchSize, t = mapping.tileInSize
        let inCount = geometry.input.count
        let x = (training ? patches : evalPatches).ensure(batch * positions * t)
        offsets.withUnsafeBufferPointer { table in
            for b in 0..<batch {
                let sample = input + b * inCount
                for p in 0..<positions {
                    let row = x + (b * positions + p) * t
                    let idx = table.baseAddress! + p * k
                    for j in 0..<k {
                        let o = Int(idx[j])
                        row[j] = o >= 0 ? sample[o] : 0
                    }
                    if t > k { row[k] = 1 }
                }
            }
        }
        let tileOut = mapping.forward(x, rows: batch * positions)
        let c = outChannels
        let y = outputs.ensure(batch * c * positions)
        for b in 0..<batch {
            let src = tileOut + b * positions * c
            let dst = y + b * c * positions
            for p in 0..<positions {
                for ch in 0..<c { dst[ch * positions + p] = src[p * c + ch] }
            }
        }
        return FloatBuffer(y, count: batch * c * positions)
    }

    public func backward(_ gradBuffer: FloatBuffer, batch: Int, computeInputGradient: Bool) -> FloatBuffer? {
        let gradOutput = gradBuffer.pointer
        let positions = geometry.positions, k = geometry.patchSize, t = mapping.tileInSize, c = outChannels
        let g = tileGrad.ensure(batch * positions * c)
        for b in 0..<batch {
            let src = gradOutput + b * c * positions
            let dst = g + b * positions * c
            for ch in 0..<c {
                for p in 0..<positions { dst[p * c + ch] = src[ch * positions + p] }
            }
        }
        guard let dPatches = mapping.backward(g, rows: batch * positions, computeInputGradient: computeInputGradient) else { return nil }
        let inCount = geometry.input.count
        let dx = inputGrad.ensure(batch * inCount)
        dx.update(repeating: 0, count: batch * inCount)
        offsets.withUnsafeBufferPointer { table in
            for b in 0..<batch {
                let sample = dx + b * inCount
                for p in 0..<positions {
                    let row = dPatches + (b * positions + p) * t
                    let idx = table.baseAddress! + p * k
                    for j in 0..<k {
                        let o = Int(idx[j])
                        if o >= 0 { sample[o] += row[j] }
                    }
                }
            }
        }
        return FloatBuffer(dx, count: batch * inCount)
    }

    public func update(learningRate: Float) {
        mapping.update(x: patches.pointer, learningRate: learningRate)
    }

    public func logicalWeights() -> (weights: Matrix, bias: [Float]?) { mapping.logicalWeights() }
    public func setLogicalWeights(_ weights: Matrix, bias: [Float]?) throws { try mapping.setLogicalWeights(weights, bias: bias) }
    public func restoreWeightScale(_ scale: Float) throws { try mapping.restoreScale(scale) }
}
