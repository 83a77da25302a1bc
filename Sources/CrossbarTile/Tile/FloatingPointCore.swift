import CrossbarFoundation

/// Exact floating-point weights updated by one GEMM per mini-batch: the accuracy reference
/// (`fp`) on the same code path as the analog cores.
public final class FloatingPointCore: TileCore, @unchecked Sendable {
    public let outSize: Int
    public let inSize: Int
    let storage: UnsafeMutablePointer<Float>

    public init(outSize: Int, inSize: Int) {
        self.outSize = outSize
        self.inSize = inSize
        storage = .allocate(capacity: max(outSize * inSize, 1))
        storage.initialize(repeating: 0, count: max(outSize * inSize, 1))
    }

    deinit { storage.deallocate() }

    public var readWeights: FloatBuffer { FloatBuffer(storage, count: outSize * inSize) }

    public func update(x xBuffer: FloatBuffer, d dBuffer: FloatBuffer, batch: Int, learningRate: Float) {
        let x = xBuffer.pointer, d = dBuffer.pointer
        guard learningRate != 0, batch > 0 else { return }
        DenseKernels.rankUpdate(weights: storage, out: outSize, in: inSize, x: x, d: d, batch: batch, alpha: -learningRate)
    }

    public func setWeights(_ weights: Matrix) {
        precondition(weights.rows == outSize && weights.cols == inSize)
        weights.storage.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: outSize * inSize) }
    }

    public func weights() -> Matrix {
        Matrix(rows: outSize, cols: inSize, storage: Array(UnsafeBufferPointer(start: storage, count: outSize * inSize)))
    }

    public func saveState(to archive: inout StateArchive, prefix: String) {
        archive.put(prefix + "weights", UnsafeBufferPointer(start: storage, count: outSize * inSize))
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        try archive.read(prefix + "weights", into: UnsafeMutableBufferPointer(start: storage, count: outSize * inSize))
    }
}
