import Benchmark
import CrossbarKit

// Cost of one training update of a transfer compound per sample: the pulsed update
// of the gradient array A plus its transfer (one column read through the transfer IO, buffer
// H, thresholded pulses into C), on a 512×512 tile with the ChoppedTTv2ReRamSB and AGADReRamSB
// configurations, x ~ U(0, 1), d ~ N(0, 0.01²) (standard deviation 0.01), learning rate 0.1,
// one sample per call (`AnalogTile.update` with batch 1), single-threaded. Target: ≤ 1 ms per
// sample (the reference simulator: ≈ 10 ms). The numbers in docs/performance.md are p50 values
// of one run of `scripts/bench.sh TransferBenchmarks`.

/// A 512×512 compound tile with a pool of samples.
final class TransferFixture: @unchecked Sendable {
    static let size = 512
    static let poolSize = 64
    let tile: AnalogTile
    /// The pool of samples: row k is sample k's x (inputs) and d (errors).
    let xs: Matrix
    let ds: Matrix
    private var next = 0

    init(configuration name: String, seed: UInt64) {
        let n = TransferFixture.size
        tile = try! AnalogTile(outSize: n, inSize: n, configuration: try! ConfigurationPresets.configuration(name),
                               seeds: SeedSet(master: seed), path: "bench")
        var g = SeedSet(master: seed).key(.task, "bench").generator
        var x = Matrix(rows: TransferFixture.poolSize, cols: n), d = Matrix(rows: TransferFixture.poolSize, cols: n)
        for k in 0..<(TransferFixture.poolSize * n) {
            x.storage[k] = g.nextUniform()
            d.storage[k] = 0.01 * g.nextGaussian()
        }
        xs = x
        ds = d
        // Small random weights (a layer early in training).
        var w = Matrix(rows: n, cols: n)
        for k in w.storage.indices { w.storage[k] = 0.1 * (2 * g.nextUniform() - 1) }
        try! tile.setWeights(w)
    }

    /// One training update with the next sample of the pool.
    @inline(__always) func update() {
        let k = next
        next = (next + 1) % TransferFixture.poolSize
        let n = TransferFixture.size
        xs.withBuffer { x in
            ds.withBuffer { d in tile.update(x: x.slice(k * n, n), d: d.slice(k * n, n), batch: 1, learningRate: 0.1) }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    ParallelExecutor.threadCount = 1
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 50,
        maxDuration: .seconds(5),
        maxIterations: 5_000
    )
    for name in ["ChoppedTTv2ReRamSB", "AGADReRamSB"] {
        let f = TransferFixture(configuration: name, seed: 1)
        Benchmark("training update \(name) 512x512 per sample") { benchmark in
            benchmark.startMeasurement()
            f.update()
            benchmark.stopMeasurement()
        }
    }
}
