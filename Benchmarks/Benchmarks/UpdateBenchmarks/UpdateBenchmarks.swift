import Benchmark
import CrossbarKit
#if canImport(Glibc)
import Glibc
#endif

// Cost of one per-sample pulsed rank-one update (docs/devices.md, "The pulsed update") on a 512×512 tile of ReRamSB preset
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

/// A 512×512 ReRamSB array with its update engine, a pool of samples and an FP weight buffer.
final class UpdateFixture: @unchecked Sendable {
    static let size = 512
    static let poolSize = 64
    let array: PulsedDeviceArray
    let engine: PulsedUpdateEngine
    let parameters = UpdateParameters()
    let learningRate: Float = 0.1
    let xs: UnsafeMutablePointer<Float>
    let ds: UnsafeMutablePointer<Float>
    let fpWeights: UnsafeMutablePointer<Float>
    private var next = 0

    init(sigma: Float, seed: UInt64) {
        let n = UpdateFixture.size
        let seeds = SeedSet(master: seed)
        var construction = seeds.key(.construction, "bench").generator
        array = PulsedDeviceArray(config: try! DevicePresets.device("ReRamSB"), rows: n, cols: n,
                                  construction: &construction, noiseKey: seeds.key(.cycleNoise, "bench"))
        engine = PulsedUpdateEngine(array: array, pulseKey: seeds.key(.pulses, "bench"), noiseKey: seeds.key(.cycleNoise, "bench"))
        var g = seeds.key(.task, "bench").generator
        xs = .allocate(capacity: UpdateFixture.poolSize * n)
        ds = .allocate(capacity: UpdateFixture.poolSize * n)
        for k in 0..<(UpdateFixture.poolSize * n) {
            xs[k] = g.nextUniform()
            ds[k] = sigma * g.nextGaussian()
        }
        fpWeights = .allocate(capacity: n * n)
        fpWeights.initialize(repeating: 0, count: n * n)
        // Start from small random weights (the tile of a network layer early in training).
        var w = [Float](repeating: 0, count: n * n)
        for k in w.indices { w[k] = 0.1 * (2 * g.nextUniform() - 1) }
        w.withUnsafeBufferPointer { array.setWeights($0.baseAddress!) }
    }

    deinit {
        xs.deallocate()
        ds.deallocate()
        fpWeights.deallocate()
    }

    /// The next sample of the pool (x, d).
    @inline(__always) func sample() -> (UnsafePointer<Float>, UnsafePointer<Float>) {
        let k = next
        next = (next + 1) % UpdateFixture.poolSize
        return (UnsafePointer(xs + k * UpdateFixture.size), UnsafePointer(ds + k * UpdateFixture.size))
    }

    /// One pulsed rank-one update W ← W − η·d·xᵀ of the devices.
    @inline(__always) func pulsed(_ x: UnsafePointer<Float>, _ d: UnsafePointer<Float>) {
        engine.update(x: .dense(x), d: .dense(d), learningRate: learningRate, parameters: parameters)
    }

    /// The floating-point rank-one update of the same shape (cblas_sger).
    @inline(__always) func sger(_ x: UnsafePointer<Float>, _ d: UnsafePointer<Float>) {
        DenseKernels.rankOneUpdate(weights: fpWeights, out: UpdateFixture.size, in: UpdateFixture.size, x: x, d: d,
                                   alpha: -learningRate)
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
        let (x, d) = plain.sample()
        benchmark.startMeasurement()
        plain.sger(x, d)
        benchmark.stopMeasurement()
        blackHole(plain.fpWeights[0])
    }

    for (label, sigma) in [("1", Float(1)), ("0.01", Float(0.01))] {
        let f = UpdateFixture(sigma: sigma, seed: 2)
        Benchmark("pulsed update ReRamSB 512x512 sigma \(label)") { benchmark in
            let (x, d) = f.sample()
            benchmark.startMeasurement()
            f.pulsed(x, d)
            benchmark.stopMeasurement()
            blackHole(f.array.hidden[0])
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
            let (x, d) = g.sample()
            var tp: Int64 = 0, ts: Int64 = 0, cpu: Int64 = 0
            let before = g.engine.counters.total
            if counter.next() % 2 == 0 {
                let c0 = threadCPUNanoseconds()
                tp = nanoseconds { g.pulsed(x, d) }
                cpu = threadCPUNanoseconds() - c0
                ts = nanoseconds { g.sger(x, d) }
            } else {
                ts = nanoseconds { g.sger(x, d) }
                let c0 = threadCPUNanoseconds()
                tp = nanoseconds { g.pulsed(x, d) }
                cpu = threadCPUNanoseconds() - c0
            }
            benchmark.measurement(.custom("pulsed ns", useScalingFactor: false), Int(tp))
            benchmark.measurement(.custom("sger ns", useScalingFactor: false), Int(ts))
            benchmark.measurement(.custom("pulsed/sger", useScalingFactor: false), Int(tp / max(ts, 1)))
            benchmark.measurement(.custom("pulsed thread-CPU ns", useScalingFactor: false), Int(cpu))
            benchmark.measurement(.custom("pulses per sample", useScalingFactor: false), Int(g.engine.counters.total - before))
            blackHole(g.array.hidden[0])
        }
    }
}
