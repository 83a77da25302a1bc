import Benchmark
import CrossbarKit
#if canImport(Glibc)
import Glibc
#endif

// Cost of one per-sample pulsed rank-one update (docs/devices.md, "The pulsed update"), through the
// tile's public update, on a 512×512 tile of ReRamSB preset
// devices (SoftBoundsReference with that preset's noise), default update parameters (BL 31,
// update management and BL management on), learning rate 0.1, x ~ U(0, 1), d ~ N(0, σ) with
// σ = 1 (long, saturated pulse trains) and σ = 0.01 (short trains) — against the
// floating-point rank-one update of the same shape (cblas_sger through
// DenseKernels.rankOneUpdate). Single-threaded (ParallelExecutor.threadCount = 1, OpenBLAS
// pinned to one thread). Targets: σ = 0.01 ≤ 150 µs, σ = 1 ≤ 4 ms per sample.
//
// Every benchmark pre-allocates its buffers outside the measured region and cycles through a
// fixed pool of samples (one new sample per call, as in training). The numbers in
// docs/performance.md are p50 values of one run of `scripts/bench.sh UpdateBenchmarks`.

/// A 512×512 tile of ReRamSB devices (the `ReRamSB` configuration: in-memory SGD, default
/// update parameters), a pool of samples and an FP weight buffer. The update goes through the
/// tile's public `update(x:d:batch:learningRate:)` (a one-sample batch: exactly the pulsed
/// rank-one update of the device array, with update and BL management).
final class UpdateFixture: @unchecked Sendable {
    static let size = 512
    static let poolSize = 64
    let tile: AnalogTile
    let learningRate: Float = 0.1
    /// The pool: row k holds sample k's x (inputs) and d (errors).
    let xs: Matrix
    let ds: Matrix
    let fpWeights: UnsafeMutablePointer<Float>
    private var next = 0

    init(sigma: Float, seed: UInt64) {
        let n = UpdateFixture.size
        let seeds = SeedSet(master: seed)
        tile = try! AnalogTile(outSize: n, inSize: n, configuration: try! ConfigurationPresets.configuration("ReRamSB"),
                               seeds: seeds, path: "bench")
        var g = seeds.key(.task, "bench").generator
        var x = Matrix(rows: UpdateFixture.poolSize, cols: n), d = Matrix(rows: UpdateFixture.poolSize, cols: n)
        for k in 0..<(UpdateFixture.poolSize * n) {
            x.storage[k] = g.nextUniform()
            d.storage[k] = sigma * g.nextGaussian()
        }
        xs = x
        ds = d
        fpWeights = .allocate(capacity: n * n)
        fpWeights.initialize(repeating: 0, count: n * n)
        // Start from small random weights (the tile of a network layer early in training).
        var w = Matrix(rows: n, cols: n)
        for k in w.storage.indices { w.storage[k] = 0.1 * (2 * g.nextUniform() - 1) }
        try! tile.setWeights(w)
    }

    deinit {
        fpWeights.deallocate()
    }

    /// The index of the next sample of the pool.
    @inline(__always) func sample() -> Int {
        let k = next
        next = (next + 1) % UpdateFixture.poolSize
        return k
    }

    /// Pulses applied so far on the tile's device array.
    var pulses: UInt64 { tile.core.pulseCounters.reduce(0) { $0 &+ $1.counters.total } }

    /// One pulsed rank-one update W ← W − η·d·xᵀ of the devices with sample `k`.
    @inline(__always) func pulsed(_ k: Int) {
        let n = UpdateFixture.size
        xs.withBuffer { x in
            ds.withBuffer { d in tile.update(x: x.slice(k * n, n), d: d.slice(k * n, n), batch: 1, learningRate: learningRate) }
        }
    }

    /// The floating-point rank-one update of the same shape (cblas_sger) with sample `k`.
    @inline(__always) func sger(_ k: Int) {
        let n = UpdateFixture.size
        xs.storage.withUnsafeBufferPointer { x in
            ds.storage.withUnsafeBufferPointer { d in
                DenseKernels.rankOneUpdate(weights: fpWeights, out: n, in: n, x: x.baseAddress! + k * n, d: d.baseAddress! + k * n,
                                           alpha: -learningRate)
            }
        }
    }
}

/// Counts benchmark iterations (to rotate the order of the interleaved calls).
final class IterationCounter: @unchecked Sendable {
    private var value = 0
    func next() -> Int { value += 1; return value }
}

/// CPU time of the calling thread in nanoseconds (time the thread was descheduled by other
/// jobs on the shared machine does not count; cache and memory-bandwidth interference does).
@inline(__always) func threadCPUNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
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
    ParallelExecutor.threadCount = 1
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(3),
        maxIterations: 5_000
    )

    // One call per iteration (the engine sizes its scratch buffers in the warm-up iterations).
    let plain = UpdateFixture(sigma: 1, seed: 1)
    Benchmark("sger 512x512") { benchmark in
        let k = plain.sample()
        benchmark.startMeasurement()
        plain.sger(k)
        benchmark.stopMeasurement()
        blackHole(plain.fpWeights[0])
    }

    for (label, sigma) in [("1", Float(1)), ("0.01", Float(0.01))] {
        let f = UpdateFixture(sigma: sigma, seed: 2)
        Benchmark("pulsed update ReRamSB 512x512 sigma \(label)") { benchmark in
            let k = f.sample()
            benchmark.startMeasurement()
            f.pulsed(k)
            benchmark.stopMeasurement()
            blackHole(f.pulses)
        }

        // Interleaved: the pulsed update and sger of the same sample back to back, in an order
        // that alternates every iteration, so both see the same machine load. Custom metrics:
        // per-iteration wall times in ns, their ratio, the pulsed update's thread CPU time and
        // the number of pulses it applied (read the p50).
        let g = UpdateFixture(sigma: sigma, seed: 3)
        let counter = IterationCounter()
        Benchmark("ratio pulsed/sger 512x512 sigma \(label)",
                  configuration: .init(metrics: [.custom("pulsed ns", useScalingFactor: false),
                                                 .custom("sger ns", useScalingFactor: false),
                                                 .custom("pulsed/sger", useScalingFactor: false),
                                                 .custom("pulsed thread-CPU ns", useScalingFactor: false),
                                                 .custom("pulses per sample", useScalingFactor: false)],
                                       timeUnits: .nanoseconds)) { benchmark in
            let k = g.sample()
            var tp: Int64 = 0, ts: Int64 = 0, cpu: Int64 = 0
            let before = g.pulses
            if counter.next() % 2 == 0 {
                let c0 = threadCPUNanoseconds()
                tp = nanoseconds { g.pulsed(k) }
                cpu = threadCPUNanoseconds() - c0
                ts = nanoseconds { g.sger(k) }
            } else {
                ts = nanoseconds { g.sger(k) }
                let c0 = threadCPUNanoseconds()
                tp = nanoseconds { g.pulsed(k) }
                cpu = threadCPUNanoseconds() - c0
            }
            benchmark.measurement(.custom("pulsed ns", useScalingFactor: false), Int(tp))
            benchmark.measurement(.custom("sger ns", useScalingFactor: false), Int(ts))
            benchmark.measurement(.custom("pulsed/sger", useScalingFactor: false), Int(tp / max(ts, 1)))
            benchmark.measurement(.custom("pulsed thread-CPU ns", useScalingFactor: false), Int(cpu))
            benchmark.measurement(.custom("pulses per sample", useScalingFactor: false), Int(g.pulses - before))
            blackHole(g.pulses)
        }
    }
}
