import Testing
import CrossbarKit
import TestSupport

/// The matrix products of the tile against a naive double-precision reference: for the perfect
/// IO (one GEMM) and for the non-perfect pipeline with every non-ideality off (same GEMM, plus
/// the per-sample stages that must then be the identity).
@Suite struct GEMMPathTests {
    /// (out, in, batch): square, non-square both ways, a single output line, batch 1.
    static let shapes: [(Int, Int, Int)] = [(7, 5, 3), (5, 7, 1), (1, 9, 4), (33, 17, 10), (64, 128, 1), (96, 40, 32)]

    @Test(arguments: [true, false])
    func forwardMatchesNaiveReference(perfect: Bool) throws {
        for (index, (out, inSize, batch)) in Self.shapes.enumerated() {
            let w = randomMatrix(rows: out, cols: inSize, seed: UInt64(10 + index))
            let x = randomMatrix(rows: batch, cols: inSize, seed: UInt64(100 + index))
            let io = perfect ? IOParameters.perfect : quietIO()
            let tile = try makeTile(w, forward: io)
            let y = try tile.forward(x)
            #expect(y.rows == batch && y.cols == out)
            let reference = naiveForward(w, x)
            let scale = absProductSums(w, x)
            for k in y.storage.indices {
                let tol = gemmTolerance(terms: inSize, absSum: scale.storage[k])
                #expect(abs(y.storage[k] - reference.storage[k]) <= tol,
                        "shape \(out)×\(inSize) batch \(batch) element \(k): \(y.storage[k]) vs \(reference.storage[k])")
            }
        }
    }

    @Test(arguments: [true, false])
    func backwardMatchesNaiveReference(perfect: Bool) throws {
        for (index, (out, inSize, batch)) in Self.shapes.enumerated() {
            let w = randomMatrix(rows: out, cols: inSize, seed: UInt64(20 + index))
            let d = randomMatrix(rows: batch, cols: out, seed: UInt64(200 + index))
            let io = perfect ? IOParameters.perfect : quietIO()
            let tile = try makeTile(w, forward: io)
            let z = try tile.backward(d)
            #expect(z.rows == batch && z.cols == inSize)
            let reference = naiveBackward(w, d)
            let scale = absProductSums(w.transposed, d)
            for k in z.storage.indices {
                let tol = gemmTolerance(terms: out, absSum: scale.storage[k])
                #expect(abs(z.storage[k] - reference.storage[k]) <= tol,
                        "shape \(out)×\(inSize) batch \(batch) element \(k): \(z.storage[k]) vs \(reference.storage[k])")
            }
        }
    }

    /// is_perfect: exactly the product times out_scale, whatever noise is configured.
    @Test func perfectIsProductTimesOutScale() throws {
        let w = randomMatrix(rows: 12, cols: 20, seed: 3)
        let x = randomMatrix(rows: 5, cols: 20, seed: 4, lo: -3, hi: 3)
        var io = IOParameters.perfect
        io.outScale = 2.5
        io.outNoise = 1          // ignored when perfect
        io.inpRes = 0.5          // ignored when perfect
        io.outBound = 0.1        // ignored when perfect
        io.wNoise = 1
        io.wNoiseType = .additiveConstant
        let tile = try makeTile(w, forward: io)
        let y = try tile.forward(x)
        let reference = naiveForward(w, x)
        let scale = absProductSums(w, x)
        for k in y.storage.indices {
            let tol = 2.5 * gemmTolerance(terms: 20, absSum: scale.storage[k])
            #expect(abs(y.storage[k] - 2.5 * reference.storage[k]) <= tol)
        }
        let z = try tile.backward(randomMatrix(rows: 5, cols: 12, seed: 5))
        let zr = naiveBackward(w, randomMatrix(rows: 5, cols: 12, seed: 5))
        for k in z.storage.indices { #expect(abs(z.storage[k] - 2.5 * zr.storage[k]) <= 1e-4) }
    }

    /// The checked API and the unchecked pointer API compute the same thing.
    @Test func pointerAPIMatchesCheckedAPI() throws {
        let w = randomMatrix(rows: 9, cols: 6, seed: 7)
        let x = randomMatrix(rows: 4, cols: 6, seed: 8)
        let a = try makeTile(w, forward: IOParameters())
        let b = try makeTile(w, forward: IOParameters())
        let ya = try a.forward(x)
        var yb = [Float](repeating: .nan, count: 4 * 9)
        x.storage.withUnsafeBufferPointer { xp in
            yb.withUnsafeMutableBufferPointer { b.forward(input: FloatBuffer(xp.baseAddress!, count: xp.count), batch: 4, output: FloatBuffer($0.baseAddress!, count: $0.count)) }
        }
        // Same seed, same path, same call counter: the same noise, bit for bit.
        #expect(ya.storage == yb)
    }

    @Test func emptyBatchProducesEmptyOutput() throws {
        let tile = try makeTile(randomMatrix(rows: 3, cols: 4, seed: 1), forward: IOParameters())
        let y = try tile.forward(Matrix(rows: 0, cols: 4))
        #expect(y.rows == 0 && y.cols == 3)
    }
}
