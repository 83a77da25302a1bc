import Foundation
import CrossbarFoundation

/// An element-wise activation function whose derivative can be written through its output
/// (so backward needs only the stored output y).
public protocol ActivationFunction {
    static var name: String { get }
    /// y = f(x).
    static func value(_ x: Float) -> Float
    /// f′(x) expressed through y = f(x).
    static func derivative(output y: Float) -> Float
}

/// Logistic sigmoid y = 1/(1 + e^−x), y′ = y(1 − y).
public enum SigmoidFunction: ActivationFunction {
    public static let name = "Sigmoid"
    @inline(__always) public static func value(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
    @inline(__always) public static func derivative(output y: Float) -> Float { y * (1 - y) }
}

/// Hyperbolic tangent y = tanh x, y′ = 1 − y².
///
/// Evaluated as the branch-free [13/6] rational approximation of Eigen's `ptanh_float` on x
/// clamped to ±7.9053111 (where tanh rounds to ±1 in Float): relative error ≤ 2.6e-7 in
/// exact arithmetic, a few ulp in Float. It vectorises, unlike libm's `tanhf`, which made
/// tanh the most expensive part of LeNet5's forward pass.
public enum TanhFunction: ActivationFunction {
    public static let name = "Tanh"
    @inline(__always) public static func value(_ x: Float) -> Float {
        let c = min(max(x, -7.90531110763549805), 7.90531110763549805)
        let x2 = c * c
        var p: Float = -2.76076847742355e-16
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 - 8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        var q: Float = 1.19825839466702e-06
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        return c * p / q
    }
    @inline(__always) public static func derivative(output y: Float) -> Float { 1 - y * y }
}

/// Rectifier y = max(0, x), y′ = 1 where y > 0, else 0.
public enum ReLUFunction: ActivationFunction {
    public static let name = "ReLU"
    @inline(__always) public static func value(_ x: Float) -> Float { max(0, x) }
    @inline(__always) public static func derivative(output y: Float) -> Float { y > 0 ? 1 : 0 }
}

/// A layer applying `F` to every value: y = F(x), ∂L/∂x = ∂L/∂y · F′.
public final class ElementwiseActivation<F: ActivationFunction>: Layer {
    public let inputShape: TensorShape
    public var outputShape: TensorShape { inputShape }
    private let outputs = ScratchBuffer<Float>()
    private let inputGrad = ScratchBuffer<Float>()

    public init(shape: TensorShape) { inputShape = shape }

    public var description: String { F.name }

    public func forward(_ inputBuffer: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer {
        let input = inputBuffer.pointer
        let n = batch * inputShape.count
        let y = outputs.ensure(n)
        for i in 0..<n { y[i] = F.value(input[i]) }
        return FloatBuffer(y, count: n)
    }

    public func backward(_ gradBuffer: FloatBuffer, batch: Int, computeInputGradient: Bool) -> FloatBuffer? {
        let gradOutput = gradBuffer.pointer
        guard computeInputGradient else { return nil }
        let n = batch * inputShape.count
        let dx = inputGrad.ensure(n)
        let y = outputs.pointer
        for i in 0..<n { dx[i] = gradOutput[i] * F.derivative(output: y[i]) }
        return FloatBuffer(dx, count: n)
    }
}

public typealias Sigmoid = ElementwiseActivation<SigmoidFunction>
public typealias Tanh = ElementwiseActivation<TanhFunction>
public typealias ReLU = ElementwiseActivation<ReLUFunction>
