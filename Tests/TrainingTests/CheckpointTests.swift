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

/// Checkpoints hold the complete state of a run: a run interrupted, rebuilt from scratch (as a
/// new process would) and resumed from its checkpoint ends bit-identical to the uninterrupted
/// run. Determinism is exact by design (counter-based random streams), so `==` on the bytes is
/// the right comparison here.
@Suite struct CheckpointTests {
    /// Soft-bounds devices with write noise, decay and diffusion (post-update steps draw from
    /// the device event stream), an analog bias column and weight scaling ω = 0.6.
    static let retentionJSON = """
        {"mapping": {"digital_bias": false, "weight_scaling_omega": 0.6},
         "device": {"type": "soft_bounds", "dw_min": 0.01, "lifetime": 200, "diffusion": 0.002, "write_noise_std": 1}}
        """

    /// Configurations covering every kind of state: pulsed arrays with pending write noise
    /// (ReRamSB: write_noise_std 56), the TTv2 buffer, choppers (flipping every 5 sweeps),
    /// AGAD's running means and references (past its warm-up), mixed precision's χ, retention
    /// events, weight scales and the analog bias, and fp.
    static let configurations: [(String, TileConfiguration)] = [
        ("fp", .floatingPoint),
        ("ReRamSB", try! preset("ReRamSB")),
        ("TTv2ReRamSB", try! preset("TTv2ReRamSB")),
        ("ChoppedTTv2ReRamSB", try! preset("ChoppedTTv2ReRamSB", inChopProb: 0.2)),
        ("AGADReRamSB", try! preset("AGADReRamSB", inChopProb: 0.2)),
        ("MixedPrecisionReRamSB", try! preset("MixedPrecisionReRamSB")),
        ("retention", try! configuration(json: retentionJSON)),
    ]

    /// 3 epochs straight vs 1 epoch → checkpoint bytes → a new session built from scratch →
    /// restore → 2 more epochs: every entry of the final state (all tiles' weights, device
    /// parameters, buffers, counters, stream positions, biases, scales, trainer position) and
    /// every epoch's losses, accuracies and pulse counts are identical.
    @Test(arguments: 0..<7)
    func resumedRunIsBitIdentical(_ index: Int) throws {
        let (name, config) = Self.configurations[index]
        let straight = try clusterSession(config, seed: 11, epochs: 3)
        try straight.run()

        let first = try clusterSession(config, seed: 11, epochs: 3)
        _ = try #require(try first.trainEpoch())
        let bytes = first.checkpoint().encoded()

        let resumed = try clusterSession(config, seed: 11, epochs: 3)
        try resumed.restore(from: try StateArchive(decoding: bytes))
        #expect(resumed.completedEpochs == 1)
        try resumed.run()

        let a = straight.checkpoint(), b = resumed.checkpoint()
        #expect(stateDifferences(a, b) == [], "\(name): state entries differ")
        #expect(a.entries.count > 10)
        #expect(straight.history.map(\.deterministicPart) == resumed.history.map(\.deterministicPart), "\(name)")
        for (x, y) in zip(straight.network.analogTiles, resumed.network.analogTiles) {
            #expect(x.weights().storage.map(\.bitPattern) == y.weights().storage.map(\.bitPattern), "\(name) \(x.path)")
        }
        // Epochs 2 and 3 changed the weights, so the comparison is not between untouched networks.
        #expect(stateDifferences(first.checkpoint(), b).contains { $0.hasPrefix("tiles.layer0.") && $0.hasSuffix("hidden") || $0 == "tiles.layer0.weights" },
                "\(name)")
    }

    /// A checkpoint in the middle of an epoch (after 37 of 80 mini-batches) resumes exactly too.
    @Test func midEpochCheckpointResumesExactly() throws {
        let config = try preset("AGADReRamSB", inChopProb: 0.2)
        let straight = try clusterSession(config, seed: 3, epochs: 2)
        try straight.run()
        let first = try clusterSession(config, seed: 3, epochs: 2)
        _ = try first.trainEpoch()
        #expect(try first.trainEpoch { $0.batchIndex < 36 } == nil)
        #expect(first.trainer.state.batchIndex == 37)
        let resumed = try clusterSession(config, seed: 3, epochs: 2)
        try resumed.restore(from: try StateArchive(decoding: first.checkpoint().encoded()))
        let last = try #require(try resumed.trainEpoch())
        #expect(last.epoch == 2 && last.samples == 800)
        #expect(stateDifferences(straight.checkpoint(), resumed.checkpoint()) == [])
        #expect(straight.history.map(\.deterministicPart) == resumed.history.map(\.deterministicPart))
    }

    /// Taking a checkpoint changes nothing: a run that saves after every epoch and in the middle
    /// of one ends exactly where a run that never saves ends. (The device arrays draw pending
    /// write noise when they save; the checkpoint undoes that — without it, TTv2 on ReRamSB,
    /// whose A array always has pending write noise after an epoch, diverged.)
    @Test func takingACheckpointDoesNotChangeTheRun() throws {
        let config = try preset("TTv2ReRamSB")
        let quiet = try clusterSession(config, seed: 8, epochs: 2)
        try quiet.run()
        let saving = try clusterSession(config, seed: 8, epochs: 2)
        var pending = 0
        _ = try saving.trainEpoch { p in
            if p.batchIndex == 20 {
                pending = saving.network.analogTiles.flatMap(\.deviceArrays).filter(\.array.hasPendingWriteNoise).count
                _ = saving.checkpoint()
            }
            return true
        }
        _ = saving.checkpoint()
        _ = try saving.trainEpoch()
        _ = saving.checkpoint()
        #expect(pending > 0, "the scenario must have pending write noise when it saves")
        #expect(stateDifferences(quiet.checkpoint(), saving.checkpoint()) == [])
    }

    /// Checkpoints of another run are refused with the differing fields named, before anything
    /// changes; so are damaged, truncated and foreign files.
    @Test func foreignCheckpointsAreRefused() throws {
        let config = try preset("TTv2ReRamSB")
        let source = try clusterSession(config, seed: 5, epochs: 2)
        _ = try source.trainEpoch()
        let archive = source.checkpoint()
        let bytes = archive.encoded()

        func refusal(_ target: TrainingSession) -> String {
            errorMessage { try target.restore(from: archive, source: "ckpt.bin") }
        }
        // Other configuration: the message names the first differing configuration fields.
        let otherConfig = try clusterSession(try preset("AGADReRamSB"), seed: 5, epochs: 2)
        let m1 = refusal(otherConfig)
        #expect(m1.contains("ckpt.bin") && m1.contains("belongs to another run") && m1.contains("configuration.device"), "\(m1)")
        #expect(otherConfig.completedEpochs == 0 && otherConfig.history.isEmpty)
        // Other seed, other model, other batch size, other data.
        #expect(refusal(try clusterSession(config, seed: 6, epochs: 2)).contains("seed: \"5\" in the checkpoint, \"6\" in this run"))
        let m3 = refusal(try clusterSession(config, seed: 5, epochs: 2, hidden: 16))
        #expect(m3.contains("model") && m3.contains("network"), "\(m3)")
        #expect(refusal(try clusterSession(config, seed: 5, epochs: 2, batchSize: 20)).contains("batch_size: 10 in the checkpoint, 20 in this run"))
        let fewer = (try clusterTask.train.prefix(400), clusterTask.test)
        #expect(refusal(try clusterSession(config, seed: 5, epochs: 2, data: fewer)).contains("train_data.count: 800 in the checkpoint, 400 in this run"))
        // More epochs is fine (extending a run).
        try clusterSession(config, seed: 5, epochs: 4).restore(from: archive)

        // Damaged: one flipped byte in the middle; truncated; not a checkpoint; an archive
        // without a run identity.
        var flipped = bytes
        flipped[flipped.count / 2] ^= 0x5A
        #expect(errorMessage { _ = try StateArchive(decoding: flipped, path: "ckpt.bin") }.contains("ckpt.bin: damaged (checksum mismatch)"))
        let cut = bytes.prefix(bytes.count - 1000)
        #expect(errorMessage { _ = try StateArchive(decoding: Data(cut), path: "ckpt.bin") }.contains("ckpt.bin: truncated or damaged"))
        #expect(errorMessage { _ = try StateArchive(decoding: Data("hello".utf8), path: "x.json") }.contains("x.json: not a CrossbarKit checkpoint"))
        var bare = StateArchive()
        bare.put("layer0.hidden", [1, 2, 3])
        #expect(errorMessage { try source.restore(from: bare, source: "other.bin") }.contains("other.bin: not a training checkpoint"))
        // A tampered identity: valid JSON and checksum, but it no longer matches its fingerprint.
        guard case let .bytes(identity)? = archive.entries["meta.identity"] else { Issue.record("no identity"); return }
        let text = String(decoding: identity, as: UTF8.self)
        #expect(text.contains("\"seed\":\"5\""))
        var tampered = archive
        tampered.put("meta.identity", bytes: Array(text.replacingOccurrences(of: "\"seed\":\"5\"", with: "\"seed\":\"7\"").utf8))
        #expect(errorMessage { try source.restore(from: tampered, source: "t.bin") }.contains("t.bin: damaged (the run identity does not match its fingerprint)"))
    }

    /// Files: written atomically (no temporary file is left behind), read back, resumed;
    /// missing files are refused naming the path.
    @Test func checkpointFilesRoundTrip() throws {
        let dir = try TemporaryFolder()
        defer { dir.cleanup() }
        let path = dir.file("run.ckpt")
        let config = try preset("ChoppedTTv2ReRamSB", inChopProb: 0.2)
        let s = try clusterSession(config, seed: 2, epochs: 2)
        _ = try s.trainEpoch()
        try s.writeCheckpoint(to: path)
        try s.writeCheckpoint(to: path) // replacing an existing checkpoint
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run.ckpt"])
        let t = try clusterSession(config, seed: 2, epochs: 2)
        try t.resume(from: path)
        #expect(stateDifferences(s.checkpoint(), t.checkpoint()) == [])
        #expect(t.history == s.history)
        #expect(errorMessage { try t.resume(from: dir.file("missing.ckpt")) }.contains("missing.ckpt: cannot be read"))
    }
}
