/// A view of `count` contiguous Floats owned elsewhere — a mini-batch of activations, a tile's
/// weights, a layer's gradients — the one handle through which layers, tiles and cores pass
/// buffers to each other without copying.
///
/// Elements are read and written through a subscript that is bounds-checked in debug builds
/// (an `assert`), and a view can be copied out as an array. The memory address stays inside
/// the package (`base`): library users never hold a raw pointer. A view is valid as long as
/// its owner keeps the memory (each API says until when: a layer's output until its next
/// forward, a matrix's storage while the matrix is alive and unchanged).
public struct FloatBuffer: @unchecked Sendable {
    /// The first element (package-internal: the kernels and BLAS calls use it).
    @usableFromInline package let base: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int

    @inlinable
    package init(_ base: UnsafeMutablePointer<Float>, count: Int) {
        self.base = base
        self.count = count
    }

    /// A view of memory the caller only reads through it.
    @inlinable
    package init(_ base: UnsafePointer<Float>, count: Int) {
        self.init(UnsafeMutablePointer(mutating: base), count: count)
    }

    /// Element `i` (0 ≤ i < count; checked in debug builds).
    @inlinable
    public subscript(i: Int) -> Float {
        get {
            assert(i >= 0 && i < count, "FloatBuffer index \(i) out of 0..<\(count)")
            return base[i]
        }
        nonmutating set {
            assert(i >= 0 && i < count, "FloatBuffer index \(i) out of 0..<\(count)")
            base[i] = newValue
        }
    }

    /// The elements as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The `length` elements from `offset` (checked in debug builds).
    @inlinable
    public func slice(_ offset: Int, _ length: Int) -> FloatBuffer {
        assert(offset >= 0 && length >= 0 && offset + length <= count, "FloatBuffer slice \(offset)+\(length) out of 0..<\(count)")
        return FloatBuffer(base + offset, count: length)
    }

    /// Read-only pointer for package code.
    @inlinable package var pointer: UnsafePointer<Float> { UnsafePointer(base) }
}

extension Matrix {
    /// Calls `body` with a view of the storage (row-major, rows × cols); the view is valid only
    /// inside `body`.
    public func withBuffer<R>(_ body: (FloatBuffer) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(FloatBuffer($0.baseAddress!, count: $0.count)) }
    }

    /// Calls `body` with a mutable view of the storage; valid only inside `body`.
    public mutating func withMutableBuffer<R>(_ body: (FloatBuffer) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body(FloatBuffer($0.baseAddress!, count: $0.count)) }
    }

    /// A matrix holding a copy of the `rows` × `cols` elements of `buffer`.
    public init(rows: Int, cols: Int, copying buffer: FloatBuffer) {
        precondition(buffer.count >= rows * cols, "a \(rows)×\(cols) matrix needs \(rows * cols) elements, the buffer has \(buffer.count)")
        self.init(rows: rows, cols: cols, storage: Array(UnsafeBufferPointer(start: buffer.base, count: rows * cols)))
    }
}
