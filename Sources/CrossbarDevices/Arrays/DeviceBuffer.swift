/// One contiguous, owned Float buffer of a device array (one parameter for every device).
public final class DeviceBuffer: @unchecked Sendable {
    public let count: Int
    /// The storage (package-internal: the kernels work on it).
    package let pointer: UnsafeMutablePointer<Float>

    public init(count: Int, value: Float = 0) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    public subscript(k: Int) -> Float {
        get { pointer[k] }
        set { pointer[k] = newValue }
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public func assign(_ values: [Float]) {
        precondition(values.count == count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    public func copy(from other: DeviceBuffer) {
        precondition(other.count == count)
        pointer.update(from: other.pointer, count: count)
    }
}
