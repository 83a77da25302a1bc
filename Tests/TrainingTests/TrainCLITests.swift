import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// `crossbar train` as a process: SIGKILL between epochs and resume, option validation, refusal
/// of foreign checkpoints, progress, metrics and the summary. Data: a synthetic MNIST-format
/// folder of 8×8 images (``writeSyntheticMNIST(to:train:test:)``), so the tests do not need
/// Fashion-MNIST; the model is `fc` (64-256-128-10 here).
@Suite(.serialized, .enabled(if: crossbarExecutable() != nil, "the crossbar executable is not built (swift build builds it)"))
struct TrainCLITests {
    let binary = crossbarExecutable() ?? ""

    /// A folder with the data and an AGAD configuration file (AGADReRamSB with choppers flipping
    /// every 5 sweeps, so the run has flipping choppers and leaves AGAD's warm-up).
    func fixture() throws -> (dir: TemporaryFolder, data: String, config: String) {
        let dir = try TemporaryFolder()
        let data = dir.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try writeSyntheticMNIST(to: data, train: 300, test: 100)
        let config = dir.file("agad.json")
        try preset("AGADReRamSB", inChopProb: 0.2).toJSON().write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, data, config)
    }

    func arguments(data: String, config: String, epochs: Int = 4) -> [String] {
        ["train", "--model", "fc", "--config", config, "--data", data, "--epochs", "\(epochs)", "--batch-size", "10",
         "--lr", "0.1", "--seed", "7", "--quiet"]
    }

    /// Starts the executable with `arguments`, polls `condition` every 2 ms and SIGKILLs the
    /// process as soon as it holds (at most 180 s); requires that the kill, not the end of the
    /// run, stopped it.
    func runAndKill(_ arguments: [String], when condition: () -> Bool) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(180)
        while p.isRunning && !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        try #require(p.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
    }

    /// Start a run with a checkpoint every epoch, SIGKILL it as soon as the first checkpoint
    /// exists, resume it from that checkpoint: its metrics (every deterministic field of every
    /// epoch) and its final checkpoint (every tile, bias, counter and stream position) equal those
    /// of an uninterrupted run, and the metrics file holds each epoch once.
    @Test func killedRunResumesBitIdentically() throws {
        let (dir, data, config) = try fixture()
        defer { dir.cleanup() }
        let base = arguments(data: data, config: config)
        let (m0, c0, m1, c1) = (dir.file("m0.jsonl"), dir.file("c0.ckpt"), dir.file("m1.jsonl"), dir.file("c1.ckpt"))

        // The uninterrupted run saves only at its end (taking checkpoints must not matter).
        let straight = try runCrossbar(binary, base + ["--metrics", m0, "--checkpoint", c0, "--checkpoint-every-epochs", "4"])
        #expect(straight.status == 0, "\(straight.err)")

        try runAndKill(base + ["--metrics", m1, "--checkpoint", c1, "--checkpoint-every-epochs", "1"]) {
            FileManager.default.fileExists(atPath: c1)
        }
        let interrupted = try StateArchive(decoding: try #require(FileManager.default.contents(atPath: c1)))
        let epochsDone = try interrupted.words("trainer.state")[0]
        #expect(epochsDone >= 1 && epochsDone < 4)

        let resumed = try runCrossbar(binary, base + ["--metrics", m1, "--checkpoint", c1, "--resume", c1])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.err.contains("resumed from \(c1): \(epochsDone) of 4 epochs done"), "\(resumed.err)")

        let a = try MetricsLog(path: m0).records(), b = try MetricsLog(path: m1).records()
        #expect(a.map(\.epoch) == [1, 2, 3, 4] && b.map(\.epoch) == [1, 2, 3, 4])
        #expect(a.map(\.deterministicPart) == b.map(\.deterministicPart))
        let final0 = try StateArchive(decoding: try #require(FileManager.default.contents(atPath: c0)))
        let final1 = try StateArchive(decoding: try #require(FileManager.default.contents(atPath: c1)))
        #expect(try final1.words("trainer.state")[0] == 4)
        #expect(stateDifferences(final0, final1) == [])
        // Training after the checkpoint changed the tiles (the comparison is not between
        // untouched networks).
        #expect(stateDifferences(interrupted, final1).contains { $0.hasPrefix("tiles.layer0.A.hidden") })
        // Both runs printed the same summary table apart from the timing columns.
        #expect(resumed.out.contains("samples/s") && resumed.out.split(separator: "\n").count == 2 + 4)
    }

    /// A kill after an epoch's metrics line but before that epoch's checkpoint (checkpoints
    /// every 2 epochs, killed once epoch 3 is logged): on resume the metrics file is cut back to
    /// the checkpoint's epoch, so every epoch appears exactly once and equals the uninterrupted
    /// run's; train-report finds no duplicates, and flags them in a file that has some.
    @Test func killBetweenMetricsLineAndCheckpointLeavesEachEpochOnce() throws {
        let (dir, data, config) = try fixture()
        defer { dir.cleanup() }
        let base = arguments(data: data, config: config, epochs: 6)
        let (m0, m1, c1) = (dir.file("m0.jsonl"), dir.file("m1.jsonl"), dir.file("c1.ckpt"))
        let straight = try runCrossbar(binary, base + ["--metrics", m0])
        #expect(straight.status == 0, "\(straight.err)")

        func loggedEpochs() -> Int {
            (try? String(contentsOfFile: m1, encoding: .utf8))?.split(separator: "\n").count ?? 0
        }
        try runAndKill(base + ["--metrics", m1, "--checkpoint", c1, "--checkpoint-every-epochs", "2"]) { loggedEpochs() >= 3 }
        let logged = loggedEpochs()
        let checkpointed = try StateArchive(decoding: try #require(FileManager.default.contents(atPath: c1))).words("trainer.state")[0]
        // The state this test is about: more epochs logged than checkpointed.
        try #require(logged == 3 && checkpointed == 2, "logged \(logged), checkpointed \(checkpointed)")

        let resumed = try runCrossbar(binary, base + ["--metrics", m1, "--checkpoint", c1, "--resume", c1])
        #expect(resumed.status == 0, "\(resumed.err)")
        let a = try MetricsLog(path: m0).records(), b = try MetricsLog(path: m1).records()
        #expect(b.map(\.epoch) == [1, 2, 3, 4, 5, 6])
        #expect(a.map(\.deterministicPart) == b.map(\.deterministicPart))
        let clean = try runCrossbar(binary, ["train-report", m1])
        #expect(clean.status == 0 && !clean.err.contains("warning"), "\(clean.err)")

        // Without --resume the same command appends a second copy of the run: flagged.
        let again = try runCrossbar(binary, base + ["--metrics", m1])
        #expect(again.status == 0, "\(again.err)")
        let flagged = try runCrossbar(binary, ["train-report", m1])
        #expect(flagged.status == 0)
        #expect(flagged.err.contains("warning: \(m1): run") && flagged.err.contains("has epoch 1 2 times"), "\(flagged.err)")
    }

    /// Bad options: a message on stderr naming the option, the value and the allowed range, and
    /// a non-zero exit status — before any training.
    @Test func badOptionsAreReportedClearly() throws {
        let (dir, data, _) = try fixture()
        defer { dir.cleanup() }
        let cases: [([String], String)] = [
            (["--epochs", "0"], "'--epochs': 0 (allowed: 1…1000000)"),
            (["--batch-size", "0"], "'--batch-size': 0 (allowed: 1…1000000)"),
            (["--lr=0"], "'--lr': 0 (allowed: a finite number > 0)"),
            (["--lr", "1e300"], "'--lr': 1e300 (allowed: a finite number > 0 with |x| ≤ 3.4028235e38)"),
            (["--lr", "-0.5"], "'--lr': -0.5 (allowed: a finite number > 0)"),
            (["--threads", "0"], "'--threads': 0 (allowed: 1…256)"),
            (["--checkpoint-every-epochs", "0"], "'--checkpoint-every-epochs': 0 (allowed: ≥ 1)"),
            (["--train-samples", "301"], "'--train-samples': 301 (allowed: 1…300"),
            (["--test-samples=-3"], "'--test-samples': -3"),
            (["--lr-schedule", "cosine"], "The value 'cosine' is invalid for '--lr-schedule <lr-schedule>'. Please provide one of 'constant', 'step' or 'multi_step'"),
            (["--lr-gamma", "2"], "'--lr-gamma': 2 (allowed: (0, 1])"),
            (["--model", "resnet"], "The value 'resnet' is invalid for '--model <model>'. Please provide one of 'fc', 'lenet5' or 'lstm'"),
            (["--config", "ReRamXY"], "unknown configuration 'ReRamXY'"),
            (["--config", dir.file("missing.json")], "missing.json: cannot be read"),
            (["--checkpoint", dir.file("no/such/c.ckpt")], "no/such/c.ckpt: the folder of --checkpoint does not exist"),
            (["--data", dir.file("nowhere")], "nowhere: no such dataset folder"),
        ]
        for (extra, message) in cases {
            var args = ["train", "--config", "fp", "--data", data, "--quiet"]
            args += extra
            if extra.first == "--config" { args.removeSubrange(1...2) }
            let r = try runCrossbar(binary, args)
            #expect(r.status != 0, "\(extra)")
            #expect(r.err.contains(message), "\(extra): \(r.err)")
            #expect(!r.out.contains("train loss"), "\(extra): nothing was trained")
        }
    }

    /// A checkpoint of another configuration, or a truncated one, is refused with a clear message
    /// and a non-zero status; the checkpoint file is left as it was.
    @Test func foreignOrDamagedCheckpointsAreRefused() throws {
        let (dir, data, config) = try fixture()
        defer { dir.cleanup() }
        let ckpt = dir.file("c.ckpt")
        let first = try runCrossbar(binary, arguments(data: data, config: config, epochs: 1) + ["--checkpoint", ckpt, "--train-samples", "100"])
        #expect(first.status == 0, "\(first.err)")
        let bytes = try #require(FileManager.default.contents(atPath: ckpt))

        let other = try runCrossbar(binary, arguments(data: data, config: "TTv2ReRamSB", epochs: 2)
                                    + ["--checkpoint", ckpt, "--resume", ckpt, "--train-samples", "100"])
        #expect(other.status != 0)
        #expect(other.err.contains("\(ckpt): belongs to another run, refusing to resume") && other.err.contains("configuration."), "\(other.err)")
        let otherSeed = try runCrossbar(binary, arguments(data: data, config: config, epochs: 2).map { $0 == "7" ? "8" : $0 }
                                        + ["--resume", ckpt, "--train-samples", "100"])
        #expect(otherSeed.err.contains("seed: \"7\" in the checkpoint, \"8\" in this run"), "\(otherSeed.err)")
        #expect(FileManager.default.contents(atPath: ckpt) == bytes)

        let truncated = dir.file("t.ckpt")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let t = try runCrossbar(binary, arguments(data: data, config: config, epochs: 2) + ["--resume", truncated, "--train-samples", "100"])
        #expect(t.status != 0)
        #expect(t.err.contains("\(truncated): truncated or damaged"), "\(t.err)")
    }

    /// Without a terminal, progress is plain lines (every tenth of an epoch), one line per epoch
    /// follows, and the summary table and `train-report` go to stdout.
    @Test func progressSummaryAndReport() throws {
        let (dir, data, config) = try fixture()
        defer { dir.cleanup() }
        let metrics = dir.file("m.jsonl")
        var args = arguments(data: data, config: config, epochs: 1)
        args.removeLast() // --quiet
        let r = try runCrossbar(binary, args + ["--metrics", metrics, "--threads", "2"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("epoch 1/1   50%  150/300 samples"), "\(r.err)")
        #expect(r.err.contains("samples/s  ETA") && r.err.contains("loss "))
        #expect(r.err.contains("epoch 1/1: train loss"))
        #expect(r.out.contains("train loss") && r.out.contains("pulses/sample A"))
        let records = try MetricsLog(path: metrics).records()
        #expect(records.count == 1 && records[0].threads == 2 && records[0].configurationName == config)
        let report = try runCrossbar(binary, ["train-report", metrics])
        #expect(report.status == 0 && report.out.contains("agad"), "\(report.out)")
    }
}
