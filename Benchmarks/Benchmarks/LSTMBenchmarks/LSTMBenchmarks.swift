import Benchmark
import CrossbarKit
#if canImport(Glibc)
import Glibc
#endif

// Training throughput of the LSTM character model (2 layers of hidden size 64, dropout 0.2, an
// analog read-out; docs/lstm.md) with the paper's recipe: batch 32 × 100 characters, learning
// rate 0.01; one benchmark per configuration (fp, c-TTv2) and thread count (1, 2).
//
// Each iteration trains 5 mini-batches (16 000 characters) of one continuing run (forward
// through time, loss, backpropagation through time, analog updates), so the measured region is
// exactly the training step of `crossbar train --model lstm` without the evaluations; the
// custom metric `characters/s` is 16 000 / the iteration's wall-clock time, `CPU characters/s`
// 16 000 / the process CPU time (all threads; on a shared machine it estimates the one-thread
// throughput of an idle machine). The corpus is the fortunes texts (the Debian package
// `fortunes`, which scripts/setup.sh installs); without them the benchmark uses a synthetic
// sentence text and says so (numbers then not comparable: the vocabulary size differs).

/// One LSTM training run for the benchmark.
final class LSTMFixture: @unchecked Sendable {
    static let batchesPerIteration = 5
    static let charactersPerBatch = 32 * 100
    static let corpus: CharacterCorpus = {
        if let c = try? CharacterCorpus.fortunes() { return c }
        print("LSTMBenchmarks: the fortunes texts are not installed, using a synthetic text (not comparable)")
        let words = ["the", "cat", "sees", "a", "dog", "on", "my", "mat", "and", "runs", "to", "one", "hill"]
        var g = Xoshiro256(seed: 1)
        var text = ""
        while text.unicodeScalars.count < 400_000 { text += words[Int(g.next() % UInt64(words.count))] + (g.next() % 8 == 0 ? ". " : " ") }
        return try! CharacterCorpus(text: text, name: "synthetic")
    }()

    let session: CharacterTrainingSession
    let threads: Int

    init(configuration name: String, threads: Int) {
        let config = try! ConfigurationPresets.configuration(name)
        let options = TrainingOptions(epochs: 1_000_000, batchSize: 32, schedule: .constant(0.01), evaluationBatchSize: 32)
        session = try! CharacterTrainingSession(corpus: Self.corpus, modelOptions: LSTMModelOptions(), sequenceLength: 100,
                                                configuration: config, configurationName: name, options: options, seeds: SeedSet(master: 1))
        self.threads = threads
    }

    /// Trains the next `batchesPerIteration` mini-batches (wrapping to the next epoch's start is
    /// never reached: an epoch of the fortunes corpus has about 700 mini-batches).
    func step() {
        ParallelExecutor.threadCount = threads
        let stop = session.trainer.state.batchIndex + Self.batchesPerIteration
        _ = try! session.trainEpoch { $0.batchIndex + 1 < stop }
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
    let characters = BenchmarkMetric.custom("characters/s", polarity: .prefersLarger, useScalingFactor: false)
    let cpuCharacters = BenchmarkMetric.custom("CPU characters/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, characters, cpuCharacters],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 10
    )
    let runs: [(String, Int)] = [1, 2].flatMap { threads in ["fp", "ChoppedTTv2ReRamSB"].map { ($0, threads) } }
    for (name, threads) in runs {
        let fixture = LSTMFixture(configuration: name, threads: threads)
        Benchmark("train lstm \(name) threads \(threads)") { benchmark in
            let ns = nanoseconds { fixture.step() }
            let n = Double(LSTMFixture.batchesPerIteration * LSTMFixture.charactersPerBatch)
            benchmark.measurement(characters, Int(n * 1e9 / Double(max(ns.wall, 1))))
            benchmark.measurement(cpuCharacters, Int(n * 1e9 / Double(max(ns.cpu, 1))))
        }
    }
}
