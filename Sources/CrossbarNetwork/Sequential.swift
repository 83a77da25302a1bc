import CrossbarFoundation
import CrossbarTile

/// A chain of layers (torch / aihwkit `Sequential`). The last layer produces logits; the loss
/// (``LogSoftmaxNLLLoss``) applies the log-softmax.
///
/// Layer i is addressed as `"layer<i>"` (the path its tile was created with by the model
/// builders); digital parameters are named `"layer<i>.<name>"` (e.g. `"layer0.bias"`).
public final class Sequential: CustomStringConvertible {
    public let layers: [any Layer]
    /// Index of the first layer with parameters: layers up to it need no input gradient.
    private let firstTrainable: Int?
    /// Indices of the layers with parameters (the chunks of a parallel update).
    private let trainableLayers: [Int]

    /// Chains `layers`; consecutive shapes must match (output of i = input of i + 1).
    public init(_ layers: [any Layer]) throws {
        guard !layers.isEmpty else { throw CrossbarError.message("a Sequential model needs at least one layer") }
        for i in 1..<layers.count where layers[i - 1].outputShape != layers[i].inputShape {
            let hint = !layers[i - 1].outputShape.isFlat && layers[i].inputShape.isFlat ? " (insert a Flatten layer)" : ""
            throw CrossbarError.shapeMismatch(what: "input of layer \(i) (\(layers[i]))\(hint)",
                                              expected: "\(layers[i - 1].outputShape), the output of layer \(i - 1) (\(layers[i - 1]))",
                                              got: "\(layers[i].inputShape)")
        }
        self.layers = layers
        firstTrainable = layers.firstIndex { $0.hasParameters }
        trainableLayers = layers.indices.filter { layers[$0].hasParameters }
    }

    public var inputShape: TensorShape { layers[0].inputShape }
    public var outputShape: TensorShape { layers[layers.count - 1].outputShape }

    /// Logits [batch × outputShape.count] of `input` [batch × inputShape.count]; valid until
    /// the next forward. `training` keeps what backward and update need.
    public func forward(_ input: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer {
        var x = input
        for layer in layers { x = layer.forward(x, batch: batch, training: training) }
        return x
    }

    /// Backpropagates ∂L/∂logits [batch × outputShape.count] of the last training forward.
    /// Input gradients are computed only where a trainable layer needs them (the first analog
    /// layer skips its backward MVM).
    public func backward(_ gradOutput: FloatBuffer, batch: Int) {
        guard let first = firstTrainable else { return }
        var g = gradOutput
        for i in stride(from: layers.count - 1, through: first, by: -1) {
            guard let dx = layers[i].backward(g, batch: batch, computeInputGradient: i > first) else { break }
            g = dx
        }
    }

    /// Applies the updates of the last backward pass (analog tiles and digital SGD), layer by
    /// layer. With `ParallelExecutor/threadCount` > 1 the pulse kernels inside each layer
    /// split their rows over the threads (bit-identical to one thread). The layers are not run
    /// concurrently: the first layer of `fc` holds most of the devices, and running layers side
    /// by side left one thread idle once the small layers were done (measured: 2-thread
    /// c-TTv2/AGAD training 10 % slower than this order, docs/performance.md).
    public func update(learningRate: Float) {
        for i in trainableLayers {
            layers[i].update(learningRate: learningRate)
        }
    }

    /// The analog tiles in layer order.
    public var analogTiles: [AnalogTile] { layers.flatMap(\.analogTiles) }

    /// The analog layers with their indices.
    public var analogLayers: [(index: Int, layer: any AnalogLayer)] {
        layers.enumerated().compactMap { i, l in (l as? any AnalogLayer).map { (i, $0) } }
    }

    /// All digital parameters by qualified name `"layer<i>.<name>"`.
    public var digitalParameters: [(name: String, parameter: DigitalParameter)] {
        layers.enumerated().flatMap { i, l in l.digitalParameters.map { ("layer\(i).\($0.name)", $0) } }
    }

    /// Digital parameter values by qualified name (for checkpoints).
    public func digitalState() -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: digitalParameters.map { ($0.name, $0.parameter.values) })
    }

    /// Restores digital parameter values; names must be exactly those of ``digitalParameters``.
    public func restoreDigitalState(_ state: [String: [Float]]) throws {
        let params = digitalParameters
        let known = params.map(\.name)
        if let unknown = state.keys.sorted().first(where: { !known.contains($0) }) {
            throw CrossbarError.unknownKey(field: "digital_parameters", key: unknown, allowed: known)
        }
        for (name, p) in params {
            guard let values = state[name] else {
                throw CrossbarError.message("digital_parameters: missing '\(name)'")
            }
            do { try p.setValues(values) } catch let e as CrossbarError {
                throw CrossbarError.message("digital_parameters.\(name): \(e)")
            }
        }
    }

    /// Checked, allocating inference: logits [rows × classes] of `inputs` [rows × features].
    public func predict(_ inputs: Matrix) throws -> Matrix {
        guard inputs.cols == inputShape.count else {
            throw CrossbarError.shapeMismatch(what: "model input", expected: "\(inputShape.count) columns (\(inputShape))", got: "\(inputs.rows)×\(inputs.cols)")
        }
        try inputs.storage.withUnsafeBufferPointer { try Check.finite($0, "model input") }
        guard inputs.rows > 0 else { return Matrix(rows: 0, cols: outputShape.count) }
        let logits = inputs.withBuffer { forward($0, batch: inputs.rows, training: false) }
        return Matrix(rows: inputs.rows, cols: outputShape.count, copying: logits)
    }

    public var description: String {
        layers.enumerated().map { "  layer\($0.offset): \($0.element)  → \($0.element.outputShape)" }
            .joined(separator: "\n")
    }
}
