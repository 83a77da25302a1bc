import CrossbarKit
import TestSupport

// Helpers shared by the IO tests: configurations that isolate one stage of the pipeline, simple
// weight matrices and naive references.

/// The non-perfect pipeline with every non-ideality off (no NM, no BM, no DAC/ADC quantisation,
/// no noise, unbounded output): it reduces to the exact GEMM, through the same code path as
/// the noisy pipeline.
func quietIO() -> IOParameters {
    var io = IOParameters()
    io.inpRes = 0
    io.outRes = 0
    io.outNoise = 0
    io.outBound = 0
    io.noiseManagement = .none
    io.boundManagement = .none
    return io
}

/// A tile around `w` with `forward` IO (and `backward`, default the same).
func makeTile(_ w: Matrix, forward: IOParameters, backward: IOParameters? = nil,
              seed: UInt64 = 1, path: String = "tile") throws -> AnalogTile {
    try AnalogTile(weights: w, forward: forward, backward: backward ?? forward,
                   seeds: SeedSet(master: seed), path: path)
}

func identity(_ n: Int, scale: Float = 1) -> Matrix {
    var m = Matrix(rows: n, cols: n)
    for i in 0..<n { m[i, i] = scale }
    return m
}

func constant(rows: Int, cols: Int, _ value: Float) -> Matrix {
    Matrix(rows: rows, cols: cols, repeating: value)
}

/// `batch` copies of the row vector `x`.
func repeatedRows(_ x: [Float], _ batch: Int) -> Matrix {
    var m = Matrix(rows: batch, cols: x.count)
    for b in 0..<batch { for j in x.indices { m[b, j] = x[j] } }
    return m
}

/// Naive reference for Z = D·W (backward, z_j = Σ_i w_ij d_i per row of D), in Double.
func naiveBackward(_ w: Matrix, _ d: Matrix) -> Matrix {
    var z = Matrix(rows: d.rows, cols: w.cols)
    for b in 0..<d.rows {
        for j in 0..<w.cols {
            var s: Double = 0
            for i in 0..<w.rows { s += Double(w[i, j]) * Double(d[b, i]) }
            z[b, j] = Float(s)
        }
    }
    return z
}

/// Σ_j |w_ij x_j| per (sample, output): the scale of the rounding error of a float dot product.
func absProductSums(_ w: Matrix, _ x: Matrix) -> Matrix {
    var a = w
    for k in a.storage.indices { a.storage[k] = abs(a.storage[k]) }
    var ax = x
    for k in ax.storage.indices { ax.storage[k] = abs(ax.storage[k]) }
    return naiveForward(a, ax)
}

/// Float32 dot products of length n accumulate a relative error of at most about n·ε (ε = 2⁻²⁴)
/// of Σ|w x|; we allow 4·n·ε·Σ|w x| plus a tiny absolute term. This bounds any correct BLAS
/// summation order, and is far below the effects the tests look for.
func gemmTolerance(terms n: Int, absSum: Float) -> Float {
    4 * Float(n) * Float.ulpOfOne / 2 * absSum + 1e-7
}

/// Column `i` of a [rows × cols] matrix as Doubles.
func columnValues(_ m: Matrix, _ i: Int) -> [Double] {
    (0..<m.rows).map { Double(m[$0, i]) }
}

/// Values in [lo, hi] that lie a fraction f ∈ {0.15, 0.3, 0.7, 0.85} of a step above a multiple
/// of `step` — never near a rounding tie, so the expected rounding is unambiguous.
func offGridValues(step: Float, from lo: Float, to hi: Float) -> [Float] {
    let fractions: [Float] = [0.15, 0.3, 0.7, 0.85]
    var values: [Float] = []
    var k = Int((lo / step).rounded(.down))
    var f = 0
    while Float(k) * step <= hi {
        let v = (Float(k) + fractions[f % fractions.count]) * step
        if v >= lo && v <= hi { values.append(v) }
        k += 1
        f += 1
    }
    return values
}
