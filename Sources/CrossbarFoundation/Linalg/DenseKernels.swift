/// Dense floating-point kernels on row-major buffers, expressed through `BLAS`.
///
/// These are the "digital" operations of the simulator (floating-point reference tiles, digital
/// layers); the analog pipeline in IO/ calls them too. All sizes are in elements.
public enum DenseKernels {
    /// Y[batch×out] = X[batch×in] · Wᵀ  (W is [out×in]); `accumulate` adds to Y instead.
    public static func forward(
        weights w: UnsafePointer<Float>, out: Int, in inSize: Int,
        input x: UnsafePointer<Float>, batch: Int,
        output y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        BLAS.gemm(.none, .transposed, m: batch, n: out, k: inSize, alpha: 1,
                  a: x, lda: inSize, b: w, ldb: inSize,
                  beta: accumulate ? 1 : 0, c: y, ldc: out)
    }

    /// Z[batch×in] = D[batch×out] · W  (W is [out×in]).
    public static func backward(
        weights w: UnsafePointer<Float>, out: Int, in inSize: Int,
        input d: UnsafePointer<Float>, batch: Int,
        output z: UnsafeMutablePointer<Float>
    ) {
        BLAS.gemm(.none, .none, m: batch, n: inSize, k: out, alpha: 1,
                  a: d, lda: out, b: w, ldb: inSize, beta: 0, c: z, ldc: inSize)
    }

    /// W[out×in] += alpha · Dᵀ X  summed over the batch (one GEMM): the floating-point
    /// mini-batch weight update with alpha = −η.
    public static func rankUpdate(
        weights w: UnsafeMutablePointer<Float>, out: Int, in inSize: Int,
        x: UnsafePointer<Float>, d: UnsafePointer<Float>, batch: Int, alpha: Float
    ) {
        BLAS.gemm(.transposed, .none, m: out, n: inSize, k: batch, alpha: alpha,
                  a: d, lda: out, b: x, ldb: inSize, beta: 1, c: w, ldc: inSize)
    }

    /// W[out×in] += alpha · d xᵀ for one sample (BLAS sger).
    public static func rankOneUpdate(
        weights w: UnsafeMutablePointer<Float>, out: Int, in inSize: Int,
        x: UnsafePointer<Float>, d: UnsafePointer<Float>, alpha: Float
    ) {
        BLAS.ger(m: out, n: inSize, alpha: alpha, x: d, y: x, a: w, lda: inSize)
    }

    /// y[m] = A[m×n] · x  (row-major GEMV).
    public static func gemv(
        _ a: UnsafePointer<Float>, rows m: Int, cols n: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, transposed: Bool = false
    ) {
        BLAS.gemv(transposed ? .transposed : .none, m: m, n: n, alpha: 1, a: a, lda: n,
                  x: x, beta: 0, y: y)
    }

    /// Linear least squares min ‖A c − b‖₂ (A row-major rows×cols, Double) through LAPACKE.
    public static func leastSquares(_ a: [Double], rows: Int, cols: Int, b: [Double]) -> [Double]? {
        BLAS.leastSquares(a: a, rows: rows, cols: cols, b: b)
    }
}
