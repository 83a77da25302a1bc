import CrossbarFoundation

/// Reshapes channels × height × width samples into flat vectors (torch `Flatten`). The buffer
/// layout is unchanged, so forward and backward pass the pointers through without copying.
public final class Flatten: Layer {
    public let inputShape: TensorShape
    public var outputShape: TensorShape { TensorShape(features: inputShape.count) }

    public init(inputShape: TensorShape) { self.inputShape = inputShape }

    public var description: String { "Flatten(\(inputShape)→\(inputShape.count))" }

    public func forward(_ input: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer { input }

    public func backward(_ gradOutput: FloatBuffer, batch: Int, computeInputGradient: Bool) -> FloatBuffer? {
        computeInputGradient ? gradOutput : nil
    }
}
