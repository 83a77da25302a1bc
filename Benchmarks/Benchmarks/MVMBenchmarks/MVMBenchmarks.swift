import Benchmark
import CrossbarKit

// Cost of the analog MVM of spec §4.2 on a 512×512 tile against the plain GEMM it is built on.
//
// Every benchmark pre-allocates its buffers outside the measured region, makes one warm-up call
// (the first call of a tile sizes its scratch buffers) and then measures the unchecked pointer
// API, so `mallocCountTotal` counts only what one steady-state call allocates: it must be 0.
//
// The numbers in docs/performance.md are ratios of the p50 wall-clock times of one run of
// `scripts/bench.sh MVMBenchmarks`.

/// One tile with its input and output buffers, built once per benchmark.
final class MVMFixture: @unchecked Sendable {
    static let size = 512
    let tile: AnalogTile
    let weights: [Float]
    let batch: Int
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let inputCount: Int
    let outputCount: Int

    /// Weights U(−1/√512, 1/√512) and inputs U(−1, 1), from fixed seeds.
    init(io: IOParameters, batch: Int, direction: MVMDirection) {
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
        input = .allocate(capacity: inputCount)
        output = .allocate(capacity: outputCount)
        output.initialize(repeating: 0, count: outputCount)
        for k in 0..<inputCount { input[k] = 2 * g.nextUniform() - 1 }
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    @inline(__always) func forward() { tile.forward(input: input, batch: batch, output: output) }
    @inline(__always) func backward() { tile.backward(input: input, batch: batch, output: output) }

    /// The plain GEMM Y = X·Wᵀ of the same shape (the baseline of the forward pass).
    @inline(__always) func gemm() {
        weights.withUnsafeBufferPointer { w in
            DenseKernels.forward(weights: w.baseAddress!, out: MVMFixture.size, in: MVMFixture.size,
                                 input: input, batch: batch, output: output)
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .instructions],
        timeUnits: .microseconds,
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
        let plain = MVMFixture(io: .perfect, batch: batch, direction: .forward)
        Benchmark("gemm 512x512 batch \(batch)") { benchmark in
            plain.gemm()
            benchmark.startMeasurement()
            plain.gemm()
            blackHole(plain.output[0])
        }
        for (label, io) in ios {
            let f = MVMFixture(io: io, batch: batch, direction: .forward)
            Benchmark("forward \(label) 512x512 batch \(batch)") { benchmark in
                f.forward()
                benchmark.startMeasurement()
                f.forward()
                blackHole(f.output[0])
            }
            let b = MVMFixture(io: io, batch: batch, direction: .backward)
            Benchmark("backward \(label) 512x512 batch \(batch)") { benchmark in
                b.backward()
                benchmark.startMeasurement()
                b.backward()
                blackHole(b.output[0])
            }
        }
    }
}
