import CrossbarFoundation

/// A digitally stored, digitally trained parameter vector (e.g. a bias) with its gradient,
/// trained by plain SGD (no momentum, no weight decay: aihwkit's `AnalogSGD` defaults).
///
/// Values and gradient live in fixed buffers so a training step allocates nothing.
public final class DigitalParameter: @unchecked Sendable, CustomStringConvertible {
    /// Name inside its layer (e.g. "bias").
    public let name: String
    /// Number of values.
    public let count: Int
    /// The values (read/write by the owning layer).
    let value: UnsafeMutablePointer<Float>
    /// ∂L/∂value of the last backward pass.
    let gradient: UnsafeMutablePointer<Float>

    public init(name: String, values: [Float]) {
        self.name = name
        count = values.count
        value = .allocate(capacity: max(count, 1))
        gradient = .allocate(capacity: max(count, 1))
        value.initialize(repeating: 0, count: max(count, 1))
        gradient.initialize(repeating: 0, count: max(count, 1))
        values.withUnsafeBufferPointer { if count > 0 { value.update(from: $0.baseAddress!, count: count) } }
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
    }

    /// The current values (copy).
    public var values: [Float] { Array(UnsafeBufferPointer(start: value, count: count)) }

    /// The gradient of the last backward pass (copy).
    public var gradientValues: [Float] { Array(UnsafeBufferPointer(start: gradient, count: count)) }

    /// Replaces the values (checkpoint restore); the count must match and values be finite.
    public func setValues(_ newValues: [Float]) throws {
        guard newValues.count == count else {
            throw CrossbarError.shapeMismatch(what: "parameter '\(name)'", expected: "\(count) values", got: "\(newValues.count)")
        }
        try newValues.withUnsafeBufferPointer { try Check.finite($0, "parameter '\(name)'") }
        newValues.withUnsafeBufferPointer { if count > 0 { value.update(from: $0.baseAddress!, count: count) } }
    }

    /// value ← value − η · gradient.
    @inline(__always)
    func sgdStep(learningRate: Float) {
        guard learningRate != 0 else { return }
        for i in 0..<count { value[i] -= learningRate * gradient[i] }
    }

    public var description: String { "\(name)[\(count)]" }
}
