import Benchmark
import CrossbarKit

// Cost of the analog MVM of docs/io.md on a 512×512 tile against the plain GEMM it is built on.
//
// Every benchmark pre-allocates its buffers outside the measured region, makes one warm-up call
// (the first call of a tile sizes its scratch buffers) and then measures the buffer API
// (`FloatBuffer` views of preallocated matrices), so `mallocCountTotal` counts only what one steady-state call allocates: it must be 0.
//
// The numbers in docs/performance.md are ratios of the p50 wall-clock times of one run of
// `scripts/bench.sh MVMBenchmarks`.

/// One tile with its input and output buffers, built once per benchmark.
final class MVMFixture: @unchecked Sendable {
    static let size = 512
    let tile: AnalogTile
    let weights: [Float]
    let batch: Int
    let input: Matrix
    var output: Matrix
    let inputCount: Int
    let outputCount: Int

    /// Weights U(−1/√512, 1/√512) and inputs U(−1, 1), from fixed seeds.
    init(io: IOParameters, batch: Int) {
        let n = MVMFixture.size
        let seeds = SeedSet(master: 2024)
        var g = seeds.key(.initialization, "bench").generator
        let bound = 1 / Float(n).squareRoot()
        var w = Matrix(rows: n, cols: n)
        for k in w.storage.indices { w.storage[k] = (2 * g.nextUniform() - 1) * bound }
        weights = w.storage
        tile = try! AnalogTile(weights: w, forward: io, backward: io, seeds: seeds, path: "bench")
        self.batch = batch
        // Forward reads [batch × in] and writes [batch × out]; backward the other way round
        // (square here, so both are [batch × 512]).
        inputCount = batch * n
        outputCount = batch * n
        var x = Matrix(rows: batch, cols: n)
        for k in 0..<inputCount { x.storage[k] = 2 * g.nextUniform() - 1 }
        input = x
        output = Matrix(rows: batch, cols: n)
    }

    @inline(__always) func forward() {
        input.withBuffer { x in output.withMutableBuffer { y in tile.forward(input: x, batch: batch, output: y) } }
    }
    @inline(__always) func backward() {
        input.withBuffer { x in output.withMutableBuffer { y in tile.backward(input: x, batch: batch, output: y) } }
    }

    /// The plain GEMM Y = X·Wᵀ of the same shape (the baseline of the forward pass).
    @inline(__always) func gemmForward() {
        weights.withUnsafeBufferPointer { w in
            input.storage.withUnsafeBufferPointer { x in
                output.storage.withUnsafeMutableBufferPointer { y in
                    DenseKernels.forward(weights: w.baseAddress!, out: MVMFixture.size, in: MVMFixture.size,
                                         input: x.baseAddress!, batch: batch, output: y.baseAddress!)
                }
            }
        }
    }

    /// The plain GEMM Z = D·W of the same shape (the baseline of the backward pass).
    @inline(__always) func gemmBackward() {
        weights.withUnsafeBufferPointer { w in
            input.storage.withUnsafeBufferPointer { x in
                output.storage.withUnsafeMutableBufferPointer { y in
                    DenseKernels.backward(weights: w.baseAddress!, out: MVMFixture.size, in: MVMFixture.size,
                                          input: x.baseAddress!, batch: batch, output: y.baseAddress!)
                }
            }
        }
    }
}

/// Counts benchmark iterations (to rotate the order of the interleaved calls).
final class IterationCounter: @unchecked Sendable {
    private var value = 0
    func next() -> Int { value += 1; return value }
}

/// Wall-clock nanoseconds of one call of `body`.
@inline(__always) func nanoseconds(_ body: () -> Void) -> Int64 {
    let clock = ContinuousClock()
    let start = clock.now
    body()
    let d = clock.now - start
    return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 20,
        maxDuration: .seconds(2),
        maxIterations: 20_000
    )

    // The harness's own allocations in the measured region (subtract from the others).
    Benchmark("empty (harness overhead)") { benchmark in
        benchmark.startMeasurement()
        blackHole(benchmark.scaledIterations.count)
    }

    let ios: [(String, IOParameters)] = [("default", IOParameters()), ("perfect", IOParameters.perfect)]
    for batch in [1, 10] {
        let plain = MVMFixture(io: .perfect, batch: batch)
        Benchmark("gemm forward 512x512 batch \(batch)") { benchmark in
            plain.gemmForward()
            benchmark.startMeasurement()
            plain.gemmForward()
            blackHole(plain.output.storage[0])
        }
        Benchmark("gemm backward 512x512 batch \(batch)") { benchmark in
            plain.gemmBackward()
            benchmark.startMeasurement()
            plain.gemmBackward()
            blackHole(plain.output.storage[0])
        }
        // Interleaved ratios. On a shared 2-core machine the load on the sibling core shifts
        // separate benchmarks by tens of percent, so the ratios are also measured within one
        // iteration: the noisy MVM, the perfect MVM and the plain GEMM run back to back on
        // equal weights and inputs (the noisy and the GEMM call on the same buffers), in an
        // order that rotates every iteration (so none is always the one that finds W already
        // in cache). The custom metrics are per-iteration ratios × 1000; read their p50.
        for direction in ["forward", "backward"] {
            let f = MVMFixture(io: IOParameters(), batch: batch)
            let p = MVMFixture(io: .perfect, batch: batch)
            let isForward = direction == "forward"
            let counter = IterationCounter()
            Benchmark("ratio \(direction) 512x512 batch \(batch)",
                      configuration: .init(metrics: [.custom("noisy/perfect ‰", useScalingFactor: false),
                                                     .custom("perfect/gemm ‰", useScalingFactor: false),
                                                     .custom("noisy/gemm ‰", useScalingFactor: false)])) { benchmark in
                var tn: Int64 = 0, tp: Int64 = 0, tg: Int64 = 0   // noisy, perfect, gemm
                let order = counter.next() % 3
                for k in 0..<3 {
                    switch (order + k) % 3 {
                    case 0: tn = nanoseconds { if isForward { f.forward() } else { f.backward() } }
                    case 1: tp = nanoseconds { if isForward { p.forward() } else { p.backward() } }
                    default: tg = nanoseconds { if isForward { f.gemmForward() } else { f.gemmBackward() } }
                    }
                }
                benchmark.measurement(.custom("noisy/perfect ‰", useScalingFactor: false), Int(1000 * tn / max(tp, 1)))
                benchmark.measurement(.custom("perfect/gemm ‰", useScalingFactor: false), Int(1000 * tp / max(tg, 1)))
                benchmark.measurement(.custom("noisy/gemm ‰", useScalingFactor: false), Int(1000 * tn / max(tg, 1)))
                blackHole(f.output.storage[0])
            }
        }
        for (label, io) in ios {
            let f = MVMFixture(io: io, batch: batch)
            Benchmark("forward \(label) 512x512 batch \(batch)") { benchmark in
                f.forward()
                benchmark.startMeasurement()
                f.forward()
                blackHole(f.output.storage[0])
            }
            let b = MVMFixture(io: io, batch: batch)
            Benchmark("backward \(label) 512x512 batch \(batch)") { benchmark in
                b.backward()
                benchmark.startMeasurement()
                b.backward()
                blackHole(b.output.storage[0])
            }
        }
    }
}
