import CrossbarFoundation

/// Reshapes channels × height × width samples into flat vectors (torch `Flatten`). The buffer
/// layout is unchanged, so forward and backward pass the pointers through without copying.
public final class Flatten: Layer {
    public let inputShape: TensorShape
    public var outputShape: TensorShape { TensorShape(features: inputShape.count) }

    public init(inputShape: TensorShape) { self.inputShape = inputShape }

    public var description: String { "Flatten(\(inputShape)→\(inputShape.count))" }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> { input }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, computeInputGradient: Bool) -> UnsafePointer<Float>? {
        computeInputGradient ? gradOutput : nil
    }
}
