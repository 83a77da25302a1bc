import COpenBLAS

/// The one place in CrossbarKit that calls OpenBLAS and LAPACKE.
///
/// Every wrapper checks shapes and leading dimensions once, here, with preconditions: a wrong
/// shape at this level is a programmer error (user input is validated before it gets this far,
/// with ``CrossbarError``). Everything else in the library calls these Swift functions.
///
/// Determinism: OpenBLAS is pinned to one thread on first use. CrossbarKit parallelises its own
/// work in fixed, thread-count-independent chunks (see ``ParallelExecutor``), so results never
/// depend on how many threads run.
enum BLAS {
    /// Matrix transposition flag for the row-major routines below.
    enum Transpose { case none, transposed }

    private static let pinned: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    @inline(__always) private static func pin() { _ = pinned }

    @inline(__always) private static func cblas(_ t: Transpose) -> CBLAS_TRANSPOSE {
        t == .none ? CblasNoTrans : CblasTrans
    }

    /// C[m×n] = alpha · op(A) · op(B) + beta · C, all row-major.
    /// op(A) is m×k (A stored m×k, or k×m when transposed); op(B) is k×n.
    static func gemm(
        _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
        if m == 0 || n == 0 { return }
        precondition(lda >= max(1, transA == .none ? k : m), "gemm: lda \(lda) too small")
        precondition(ldb >= max(1, transB == .none ? n : k), "gemm: ldb \(ldb) too small")
        precondition(ldc >= max(1, n), "gemm: ldc \(ldc) too small")
        pin()
        cblas_sgemm(CblasRowMajor, cblas(transA), cblas(transB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// y[m'] = alpha · op(A) · x + beta · y with A row-major m×n (op(A) is m×n or n×m).
    static func gemv(
        _ trans: Transpose, m: Int, n: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int = 1,
        beta: Float, y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        precondition(m >= 0 && n >= 0, "gemv: negative dimension")
        if m == 0 || n == 0 { return }
        precondition(lda >= max(1, n), "gemv: lda \(lda) too small")
        precondition(incx != 0 && incy != 0, "gemv: zero increment")
        pin()
        cblas_sgemv(CblasRowMajor, cblas(trans), Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, Int32(incx), beta, y, Int32(incy))
    }

    /// A[m×n] += alpha · x yᵀ (rank-one update, row-major).
    static func ger(
        m: Int, n: Int, alpha: Float,
        x: UnsafePointer<Float>, y: UnsafePointer<Float>,
        a: UnsafeMutablePointer<Float>, lda: Int
    ) {
        precondition(m >= 0 && n >= 0, "ger: negative dimension")
        if m == 0 || n == 0 { return }
        precondition(lda >= max(1, n), "ger: lda \(lda) too small")
        pin()
        cblas_sger(CblasRowMajor, Int32(m), Int32(n), alpha, x, 1, y, 1, a, Int32(lda))
    }

    /// Solves the linear least-squares problem min ‖A x − b‖₂ for a full-rank, row-major
    /// A[m×n] (m ≥ n) with LAPACKE's QR driver (`dgels`). Returns x (length n) or nil when
    /// LAPACK reports a rank-deficient matrix.
    static func leastSquares(a: [Double], rows m: Int, cols n: Int, b: [Double]) -> [Double]? {
        precondition(m >= n && n > 0, "leastSquares: need rows ≥ cols > 0")
        precondition(a.count == m * n && b.count == m, "leastSquares: shape mismatch")
        var aa = a
        var bb = b
        let info = aa.withUnsafeMutableBufferPointer { ap in
            bb.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dgels(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), 1,
                              ap.baseAddress, Int32(n), bp.baseAddress, 1)
            }
        }
        if info != 0 { return nil }
        return Array(bb[0..<n])
    }
}
