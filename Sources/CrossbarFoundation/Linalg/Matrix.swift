/// A dense, row-major matrix of 32-bit floats: element (i, j) lives at `storage[i * cols + j]`.
///
/// Tiles store weights as `[out, in]` matrices (row i = output line, column j = input line),
/// mini-batches as `[batch, features]` matrices (one sample per row).
public struct Matrix: Sendable, Equatable, Codable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    public var storage: [Float]

    /// A rows × cols matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix: negative dimension")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: value, count: rows * cols)
    }

    /// Wraps row-major `storage`; its count must be rows × cols.
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "Matrix: \(storage.count) values for \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// Builds a matrix from nested rows (all of the same length).
    public init(_ nested: [[Float]]) {
        let r = nested.count
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "Matrix: ragged rows")
        self.init(rows: r, cols: c, storage: nested.flatMap { $0 })
    }

    public subscript(i: Int, j: Int) -> Float {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    /// Row i as an array (copy).
    public func row(_ i: Int) -> [Float] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

    /// Column j as an array (copy).
    public func column(_ j: Int) -> [Float] { (0..<rows).map { storage[$0 * cols + j] } }

    /// The transpose (copy).
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t.storage[j * rows + i] = storage[i * cols + j] } }
        return t
    }

    /// Plain floating-point product `self · other` (one BLAS GEMM).
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(cols == other.rows, "Matrix: \(rows)×\(cols) · \(other.rows)×\(other.cols)")
        var out = Matrix(rows: rows, cols: other.cols)
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(.none, .none, m: rows, n: other.cols, k: cols, alpha: 1,
                              a: a.baseAddress!, lda: cols, b: b.baseAddress!, ldb: other.cols,
                              beta: 0, c: c.baseAddress!, ldc: other.cols)
                }
            }
        }
        return out
    }
}
