import CrossbarFoundation
import CrossbarTile

/// One stage of a feed-forward network working on whole mini-batches.
///
/// Buffers are row-major [batch × features] with features = `inputShape.count` (input) or
/// `outputShape.count` (output), channel-major inside a sample (see `TensorShape`).
///
/// Protocol of one training step, driven by ``Sequential``:
/// 1. `forward(_:batch:training: true)` — the layer keeps what backward and update need;
/// 2. `backward(_:batch:computeInputGradient:)` with ∂L/∂y of the same batch — stores the
///    update data (errors d for analog tiles, gradients for digital parameters);
/// 3. `update(learningRate:)` — applies the update of that batch (analog tile update + digital
///    SGD). A second backward without update replaces (does not accumulate) the stored data,
///    and an update applies a backward pass only once.
///
/// Backward refers to the most recent forward call, which must be the training forward of the
/// same batch (an inference forward in between overwrites activations and pooling indices;
/// the inputs analog layers keep for their update are stored apart and survive it).
///
/// Layers own their output and gradient buffers: after the first step with the largest batch,
/// a step allocates nothing. Buffers pass between layers as `FloatBuffer` views; a returned
/// view stays valid until the next call of the same method on the same layer. This is the hot
/// path: callers guarantee buffer sizes and the call order above (sizes are checked in debug
/// builds). ``Sequential/predict(_:)`` is the checked, allocating entry point.
public protocol Layer: AnyObject, CustomStringConvertible {
    /// Shape of one input sample.
    var inputShape: TensorShape { get }
    /// Shape of one output sample.
    var outputShape: TensorShape { get }

    /// y = layer(x) for `batch` samples; returns [batch × outputShape.count]. With `training`
    /// the layer keeps x (or what it needs) for backward and update.
    func forward(_ input: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer

    /// Takes ∂L/∂y [batch × outputShape.count] of the last training forward and returns ∂L/∂x
    /// [batch × inputShape.count] when `computeInputGradient` (nil otherwise, e.g. for the
    /// first layer, which saves the backward MVM).
    func backward(_ gradOutput: FloatBuffer, batch: Int, computeInputGradient: Bool) -> FloatBuffer?

    /// Applies the parameter update of the last backward pass with learning rate η ≥ 0.
    func update(learningRate: Float)

    /// The analog tiles of this layer (empty for digital layers).
    var analogTiles: [AnalogTile] { get }

    /// The digitally trained parameters of this layer (e.g. the bias), for checkpoints.
    var digitalParameters: [DigitalParameter] { get }
}

extension Layer {
    public var analogTiles: [AnalogTile] { [] }
    public var digitalParameters: [DigitalParameter] { [] }
    public func update(learningRate: Float) {}

    /// True when the layer has anything to train.
    public var hasParameters: Bool { !analogTiles.isEmpty || !digitalParameters.isEmpty }
}
