import Benchmark
import CrossbarKit
#if canImport(Glibc)
import Glibc
#endif

// Training throughput of `fc` (784-256-128-10, sigmoid) on Fashion-MNIST, batch 10, learning
// rate 0.1 (docs/performance.md): one benchmark per configuration and thread count.
//
// Each iteration trains 50 mini-batches (500 samples) of one continuing run (forward, loss,
// backward, analog update, post-update step), so the measured region is exactly the training
// step of `crossbar train` without the test evaluation; the custom metric `samples/s` is
// 500 / the iteration's wall-clock time. The first iteration (warm-up) sizes the scratch
// buffers. `pulses/sample A` and `pulses/sample W` are the iteration's pulses per training
// sample, summed over the layers, on the gradient array A of the transfer algorithms and on
// the weight array (the single array of in-memory SGD, C of the transfer algorithms), as
// `crossbar train` reports them (rounded to integers; 0 where there is no such array): they
// show whether a change of speed comes with a change of the work. `CPU samples/s` is 500 / the process CPU time of the iteration (all threads): on a
// machine shared with other jobs it estimates the one-thread throughput of an idle machine
// (a thread that waits for a core accrues no CPU time); for two threads it is not a throughput.
// The data are the first 10 000 Fashion-MNIST training images (the Debian package
// dataset-fashion-mnist, which scripts/bench.sh installs); without them the benchmark uses
// synthetic 28×28 bar images of the same shape and says so (numbers then not comparable:
// the pulse counts depend on the inputs).

/// One training run for the benchmark.
final class TrainingFixture: @unchecked Sendable {
    static let batchesPerIteration = 50
    static let data: Dataset = {
        if let d = try? MNISTFolder().load(.train, limit: 10_000) { return d }
        print("TrainingBenchmarks: Fashion-MNIST not installed, using synthetic 28×28 bars (not comparable)")
        let bars = try! SyntheticData.bars(size: 28, trainCount: 10_000, testCount: 1, seeds: SeedSet(master: 1)).train
        return bars
    }()

    let session: TrainingSession
    let threads: Int

    init(configuration name: String, threads: Int) {
        let config = try! ConfigurationPresets.configuration(name)
        let options = TrainingOptions(epochs: 1_000_000, batchSize: 10, schedule: .constant(0.1))
        session = try! TrainingSession(model: .fc, configuration: config, configurationName: name, train: Self.data, test: nil,
                                       options: options, seeds: SeedSet(master: 1))
        self.threads = threads
    }

    /// Trains the next `batchesPerIteration` mini-batches.
    func step() {
        ParallelExecutor.threadCount = threads
        let stop = session.trainer.state.batchIndex + Self.batchesPerIteration
        _ = try! session.trainEpoch { $0.batchIndex + 1 < stop }   // the benchmark configurations do not diverge
    }

    /// Pulses (up + down) applied so far on the gradient arrays and on the weight arrays of all
    /// layers, classified like `TrainingReport.pulses`: a tile with one array (in-memory SGD)
    /// counts it as W; a compound counts `A` (or `W0`) as A and its last array (`C`, or
    /// `W<n-1>`) as W; fp tiles have no arrays.
    func pulseTotals() -> (gradient: UInt64, weight: UInt64) {
        var a: UInt64 = 0, w: UInt64 = 0
        for tile in session.network.analogTiles {
            let arrays = tile.core.pulseCounters
            if arrays.count == 1 {
                w &+= arrays[0].counters.total
            } else if arrays.count > 1 {
                let total = { (name: String) in arrays.first { $0.name == name }?.counters.total }
                a &+= total("A") ?? total("W0") ?? 0
                w &+= total("C") ?? total("W\(arrays.count - 1)") ?? 0
            }
        }
        return (a, w)
    }
}

/// Wall-clock and process-CPU nanoseconds of one call of `body`.
@inline(__always) func nanoseconds(_ body: () -> Void) -> (wall: Int64, cpu: Int64) {
    func cpuNow() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }
    let clock = ContinuousClock()
    let start = clock.now
    let cpu0 = cpuNow()
    body()
    let cpu1 = cpuNow()
    let d = clock.now - start
    return (d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000, cpu1 - cpu0)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .custom("samples/s", polarity: .prefersLarger, useScalingFactor: false),
                  .custom("CPU samples/s", polarity: .prefersLarger, useScalingFactor: false),
                  .custom("pulses/sample A", polarity: .prefersSmaller, useScalingFactor: false),
                  .custom("pulses/sample W", polarity: .prefersSmaller, useScalingFactor: false)],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 20
    )
    // Every configuration with one and two threads (fp and in-memory SGD do not gain from the
    // second thread, docs/performance.md; they are measured to show it).
    let configurations = ["fp", "ReRamSB", "TTv2ReRamSB", "ChoppedTTv2ReRamSB", "AGADReRamSB"]
    let runs: [(String, Int)] = [1, 2].flatMap { threads in configurations.map { ($0, threads) } }
    for (name, threads) in runs {
        let fixture = TrainingFixture(configuration: name, threads: threads)
        Benchmark("train fc \(name) threads \(threads)") { benchmark in
            let pulses0 = fixture.pulseTotals()
            let ns = nanoseconds { fixture.step() }
            let pulses1 = fixture.pulseTotals()
            let samples = Double(TrainingFixture.batchesPerIteration * 10)
            benchmark.measurement(.custom("samples/s", polarity: .prefersLarger, useScalingFactor: false),
                                  Int(samples * 1e9 / Double(max(ns.wall, 1))))
            benchmark.measurement(.custom("CPU samples/s", polarity: .prefersLarger, useScalingFactor: false),
                                  Int(samples * 1e9 / Double(max(ns.cpu, 1))))
            benchmark.measurement(.custom("pulses/sample A", polarity: .prefersSmaller, useScalingFactor: false),
                                  Int((Double(pulses1.gradient &- pulses0.gradient) / samples).rounded()))
            benchmark.measurement(.custom("pulses/sample W", polarity: .prefersSmaller, useScalingFactor: false),
                                  Int((Double(pulses1.weight &- pulses0.weight) / samples).rounded()))
        }
    }
}
