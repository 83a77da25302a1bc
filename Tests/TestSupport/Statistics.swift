import CrossbarKit

/// Sample statistics for statistical tests.
public struct SampleStats {
    public var count = 0
    public var mean = 0.0
    private var m2 = 0.0

    public init() {}
    public init<S: Sequence>(_ values: S) where S.Element: BinaryFloatingPoint {
        for v in values { add(Double(v)) }
    }

    /// Welford's online update.
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    public var std: Double { variance.squareRoot() }
    /// Standard error of the mean: std / √n.
    public var standardError: Double { std / Double(max(count, 1)).squareRoot() }
    /// Standard error of the sample standard deviation of a normal population: σ / √(2(n−1)).
    public func standardErrorOfStd(sigma: Double) -> Double { sigma / (2.0 * Double(max(count - 1, 1))).squareRoot() }
}

/// Relative/absolute closeness for comparing BLAS output (never `==`).
public func isClose(_ a: Float, _ b: Float, rtol: Float = 1e-4, atol: Float = 1e-5) -> Bool {
    abs(a - b) <= atol + rtol * max(abs(a), abs(b))
}

public func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var m: Float = 0
    for i in a.indices { m = max(m, abs(a[i] - b[i])) }
    return m
}

/// A reproducible random matrix U(lo, hi).
public func randomMatrix(rows: Int, cols: Int, seed: UInt64, lo: Float = -1, hi: Float = 1) -> Matrix {
    var g = Xoshiro256(seed: seed)
    var m = Matrix(rows: rows, cols: cols)
    for k in m.storage.indices { m.storage[k] = lo + (hi - lo) * g.nextUniform() }
    return m
}

/// Naive triple-loop reference for y = W x per row of X.
public func naiveForward(_ w: Matrix, _ x: Matrix) -> Matrix {
    var y = Matrix(rows: x.rows, cols: w.rows)
    for b in 0..<x.rows {
        for i in 0..<w.rows {
            var s: Double = 0
            for j in 0..<w.cols { s += Double(w[i, j]) * Double(x[b, j]) }
            y[b, i] = Float(s)
        }
    }
    return y
}
