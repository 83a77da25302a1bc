import Dispatch
import Testing
import CrossbarKit
import TestSupport

/// Reproducibility of the noisy MVM. `==` on outputs is intended here: both sides run the same
/// code on the same data, so anything but identical bytes is a determinism bug.
@Suite struct DeterminismTests {
    static let w = randomMatrix(rows: 24, cols: 40, seed: 61, lo: -0.5, hi: 0.5)

    /// Default IO with every noise source on and sizes that make BM act on some samples.
    static func noisyIO() -> IOParameters {
        var io = IOParameters()
        io.outNoise = 0.06
        io.inpNoise = 0.01
        io.inpStoRound = true
        io.outStoRound = true
        io.wNoise = 0.01
        io.wNoiseType = .additiveConstant
        io.outNoiseStd = 0.1
        io.outBound = 2.5      // small bound: bound management acts on many samples
        return io
    }

    /// Random inputs U(−1, 1); sample 0 is sign(W row 0), whose output 0 is Σ_j |w_0j| ≈ 10,
    /// so bound management always acts on it.
    static func inputs(_ batch: Int, seed: UInt64) -> Matrix {
        var x = randomMatrix(rows: batch, cols: 40, seed: seed)
        for j in 0..<40 { x[0, j] = w[0, j] < 0 ? -1 : 1 }
        return x
    }

    /// Runs `calls` forward and backward calls on a fresh tile and returns all outputs.
    static func run(seed: UInt64, path: String = "tile", calls: Int = 4, batch: Int = 6) throws -> [[Float]] {
        let tile = try makeTile(w, forward: noisyIO(), seed: seed, path: path)
        var out: [[Float]] = []
        for c in 0..<calls {
            out.append(try tile.forward(inputs(batch, seed: 1000 + UInt64(c))).storage)
            out.append(try tile.backward(randomMatrix(rows: batch, cols: 24, seed: 2000 + UInt64(c))).storage)
        }
        return out
    }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let a = try Self.run(seed: 7)
        let b = try Self.run(seed: 7)
        #expect(a == b, "two runs with the same seed differ")
        // Bound management did act in these runs (otherwise this would test less than it says).
        let tile = try makeTile(Self.w, forward: Self.noisyIO(), seed: 7)
        _ = try tile.forward(Self.inputs(6, seed: 1000))
        #expect(tile.forwardMVM.lastBoundManagementFactor(0) > 1)
    }

    @Test func differentSeedsOrPathsGiveDifferentNoise() throws {
        let a = try Self.run(seed: 7)
        let b = try Self.run(seed: 8)
        let c = try Self.run(seed: 7, path: "other")
        for (x, y) in [(a, b), (a, c)] {
            var differing = 0, total = 0
            for (u, v) in zip(x, y) { for k in u.indices { total += 1; if u[k] != v[k] { differing += 1 } } }
            // Quantisation makes a few outputs coincide by chance; noise must change most of them.
            #expect(Double(differing) > 0.8 * Double(total), "\(differing) of \(total) outputs differ")
        }
    }

    @Test func successiveCallsDrawFreshNoise() throws {
        let tile = try makeTile(Self.w, forward: Self.noisyIO())
        let x = Self.inputs(6, seed: 5)
        let first = try tile.forward(x).storage
        let second = try tile.forward(x).storage
        let differing = zip(first, second).filter { $0 != $1 }.count
        #expect(differing > first.count / 2)
    }

    /// The result for sample b depends only on sample b (and its index and the call counter), not
    /// on the other samples of the batch: this is what makes batch splitting and thread counts
    /// irrelevant.
    @Test func sampleResultDoesNotDependOnTheOtherSamples() throws {
        let x1 = Self.inputs(6, seed: 11)
        var x2 = Self.inputs(6, seed: 12)
        for j in 0..<40 { x2[2, j] = x1[2, j] }      // only sample 2 in common
        let t1 = try makeTile(Self.w, forward: Self.noisyIO())
        let y1 = try t1.forward(x1)
        let y2 = try makeTile(Self.w, forward: Self.noisyIO()).forward(x2)
        #expect(t1.forwardMVM.lastBoundManagementFactor(0) > 1, "another sample needed BM")
        #expect(y1.row(2) == y2.row(2))
        #expect(y1.row(1) != y2.row(1))
    }

    /// A prefix of the batch computed alone gets the same noise; only the GEMM may round
    /// differently for a different batch size, so compare within BLAS tolerance, allowing one ADC
    /// level (a value on a rounding boundary may land on the neighbouring level).
    @Test func batchPrefixComputedAloneAgrees() throws {
        var io = Self.noisyIO()
        io.outBound = 12       // no BM here: BM recomputes single samples anyway
        let x = Self.inputs(6, seed: 13)
        let full = try makeTile(Self.w, forward: io).forward(x)
        let prefix = try makeTile(Self.w, forward: io).forward(Matrix(rows: 3, cols: 40, storage: Array(x.storage[0..<120])))
        var exact = 0
        for b in 0..<3 {
            let alpha = x.row(b).map(abs).max()!
            for i in 0..<24 {
                let d = abs(full[b, i] - prefix[b, i])
                #expect(d <= alpha * (io.outputStep + 1e-4), "sample \(b) line \(i): \(full[b, i]) vs \(prefix[b, i])")
                if d == 0 { exact += 1 }
            }
        }
        #expect(exact >= 3 * 24 * 9 / 10)
    }

    /// `calls` forward and backward calls on `tile` with inputs from seeds `seedBase`…
    static func work(_ tile: AnalogTile, _ seedBase: UInt64, calls: Int = 12) -> [Float] {
        var out: [Float] = []
        for c in 0..<calls {
            out += try! tile.forward(inputs(5, seed: seedBase + UInt64(c))).storage
            out += try! tile.backward(randomMatrix(rows: 5, cols: 24, seed: seedBase + 500 + UInt64(c))).storage
        }
        return out
    }

    /// Two tiles used from two threads at once give the same bytes as used one after the other.
    @Test func concurrentTilesMatchSequentialRuns() throws {
        let sequentialA = Self.work(try makeTile(Self.w, forward: Self.noisyIO(), path: "a"), 100)
        let sequentialB = Self.work(try makeTile(Self.w, forward: Self.noisyIO(), path: "b"), 200)

        let tiles = [try makeTile(Self.w, forward: Self.noisyIO(), path: "a"),
                     try makeTile(Self.w, forward: Self.noisyIO(), path: "b")]
        let results = [ResultBox(), ResultBox()]
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            results[k].value = Self.work(tiles[k], k == 0 ? 100 : 200)
        }
        #expect(results[0].value == sequentialA, "thread 0 differs from the sequential run")
        #expect(results[1].value == sequentialB, "thread 1 differs from the sequential run")
        #expect(sequentialA != sequentialB)
    }
}

/// One thread's result (written by exactly one thread, read after the join).
final class ResultBox: @unchecked Sendable {
    var value: [Float] = []
}

/// The stream layout documented in docs/randomness.md: the output noise of sample b in call c of
/// a tile's forward pass is drawn, in line order, from
/// `SeedSet(master).key(.mvmNoise, path).child("forward").generator(c, b·256 + 0x80)`.
@Suite struct NoiseStreamLayoutTests {
    @Test func outputNoiseComesFromTheDocumentedGenerator() throws {
        var io = quietIO()
        io.outNoise = 0.5
        let seeds = SeedSet(master: 77)
        let tile = try AnalogTile(weights: constant(rows: 5, cols: 3, 0), forward: io, backward: io,
                                  seeds: seeds, path: "layer3")
        let key = seeds.key(.mvmNoise, "layer3")
        for call in 0..<3 {
            let y = try tile.forward(constant(rows: 4, cols: 3, 1))
            let z = try tile.backward(constant(rows: 2, cols: 5, 1))
            for b in 0..<4 {
                var g = key.child("forward").generator(UInt64(call), UInt64(b) << 8 | 0x80)
                for i in 0..<5 {
                    #expect(abs(y[b, i] - 0.5 * g.nextGaussian()) <= 1e-6, "call \(call) sample \(b) line \(i)")
                }
            }
            for b in 0..<2 {
                var g = key.child("backward").generator(UInt64(call), UInt64(b) << 8 | 0x80)
                for j in 0..<3 {
                    #expect(abs(z[b, j] - 0.5 * g.nextGaussian()) <= 1e-6, "backward call \(call) sample \(b) line \(j)")
                }
            }
        }
    }
}
