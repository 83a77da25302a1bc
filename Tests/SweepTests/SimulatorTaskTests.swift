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

/// The simulator's sweep tasks (`train`, `toy`; `program` is tested with ``ProgrammingTask``):
/// documents are validated field by field, configurations resolve as documented, and a sweep
/// point gives exactly what the library run gives.
@Suite struct SimulatorTaskTests {
    @Test func standardRegistryHasEveryTask() {
        #expect(SweepTaskRegistry.standard.names == ["program", "synthetic", "toy", "train"])
    }

    @Test func trainDocumentsAreValidatedByField() {
        let registry = SweepTaskRegistry.standard
        func planError(_ json: String) -> String? { errorText { _ = try SweepPlan(spec: spec(json), registry: registry) } }
        let typo = planError(#"{"name": "t", "base": {"task": "train", "data": "synthetic"}, "axes": [{"path": "device.reference_sdt", "values": [0.1]}]}"#)
        #expect(typo?.contains("axis 'device.reference_sdt'") == true && typo?.contains("reference_std") == true)
        let preset = planError(#"{"name": "t", "base": {"task": "train"}, "axes": [{"path": "device_preset", "values": ["ReRamSB", "Flash"]}]}"#)
        #expect(preset?.contains("axis 'device_preset' value \"Flash\"") == true && preset?.contains("EcRam") == true)
        let lr = planError(#"{"name": "t", "base": {"task": "train"}, "axes": [{"path": "learning_rate", "values": [0.1, -1]}]}"#)
        #expect(lr?.contains("axis 'learning_rate' value -1") == true)
        let negative = planError(#"{"name": "t", "base": {"task": "train"}, "axes": [{"path": "device.dw_min", "values": [-0.1]}]}"#)
        #expect(negative?.contains("axis 'device.dw_min'") == true && negative?.contains("dw_min") == true)
        let algorithm = planError(#"{"name": "t", "base": {"task": "train"}, "axes": [{"path": "algorithm", "values": ["sgd", "adam"]}]}"#)
        #expect(algorithm?.contains("axis 'algorithm' value \"adam\"") == true && algorithm?.contains("c-ttv2") == true)
        // Algorithm options adjust build_config only; with a preset they would be ignored silently.
        let options = planError(#"{"name": "t", "base": {"task": "train", "options": {"in_chop_random": false}}, "axes": [{"path": "seed", "values": [1]}]}"#)
        #expect(options?.contains("'options'") == true && options?.contains("in_chop_random") == true
                && options?.contains("only with recipe build_config") == true, "\(options ?? "no error")")
        let withBuildConfig = planError(#"{"name": "t", "base": {"task": "train", "recipe": "build_config", "options": {"in_chop_random": false}}, "axes": [{"path": "seed", "values": [1]}]}"#)
        #expect(withBuildConfig == nil, "\(withBuildConfig ?? "")")
        let toy = planError(#"{"name": "t", "base": {"task": "toy"}, "axes": [{"path": "algorithm", "values": ["sgd"]}]}"#)
        #expect(toy?.contains("axis 'algorithm' value \"sgd\"") == true && toy?.contains("ttv2, c-ttv2 or agad") == true)
    }

    /// Device fields go to every device, reference offsets to A only (unless reference_on_weight).
    @Test func trainConfigurationResolvesPresetAndOverrides() throws {
        var t = TrainingTask()
        t.algorithm = .cTTv2
        t.device = .object(["reference_std": .number(0.3), "dw_min": .number(0.01)])
        guard case let .compound(c) = try t.tileConfiguration().device else { Issue.record("not a compound"); return }
        let preset = try ConfigurationPresets.configuration("ChoppedTTv2ReRamSB")
        guard case let .compound(p) = preset.device else { Issue.record("preset not a compound"); return }
        #expect(c.unitCellDevices[0].referenceStd == 0.3 && c.unitCellDevices[1].referenceStd == p.unitCellDevices[1].referenceStd)
        #expect(c.unitCellDevices.allSatisfy { $0.dwMin == 0.01 })
        // Everything else is the preset's.
        var a = c.unitCellDevices[0]; a.referenceStd = p.unitCellDevices[0].referenceStd; a.dwMin = p.unitCellDevices[0].dwMin
        #expect(a == p.unitCellDevices[0])
        t.referenceOnWeight = true
        guard case let .compound(both) = try t.tileConfiguration().device else { Issue.record("not a compound"); return }
        #expect(both.unitCellDevices.allSatisfy { $0.referenceStd == 0.3 })
        t.algorithm = .sgd
        guard case let .single(d) = try t.tileConfiguration().device else { Issue.record("not a single device"); return }
        #expect(d.referenceStd == 0.3 && t.presetName == "ReRamSB")
        t.algorithm = .fp
        #expect(try t.tileConfiguration().isFloatingPoint)
        t.algorithm = .agad
        t.devicePreset = "EcRam"
        #expect(t.presetName == "AGADEcRam")
    }

    /// `config` names a configuration or gives it whole; it excludes `algorithm`/`device_preset`.
    @Test func trainConfigByNameOrObject() throws {
        var byAlgorithm = TrainingTask()
        byAlgorithm.algorithm = .agad
        byAlgorithm.device = .object(["reference_std": .number(0.2)])
        var byName = byAlgorithm
        byName.config = .string("AGADReRamSB")
        var byObject = byAlgorithm
        byObject.config = try JSONValue(encoding: ConfigurationPresets.configuration("AGADReRamSB"))
        #expect(try byName.tileConfiguration() == byAlgorithm.tileConfiguration())
        #expect(try byObject.tileConfiguration() == byAlgorithm.tileConfiguration())
        #expect(byName.presetName == "AGADReRamSB" && byObject.presetName == "custom")

        let registry = SweepTaskRegistry.standard
        func planError(_ json: String) -> String? { errorText { _ = try SweepPlan(spec: spec(json), registry: registry) } }
        let both = planError(#"{"name": "t", "base": {"task": "train", "config": "AGADReRamSB"}, "axes": [{"path": "algorithm", "values": ["ttv2"]}]}"#)
        #expect(both?.contains("axis 'algorithm'") == true && both?.contains("'config'") == true)
        let unknown = planError(#"{"name": "t", "base": {"task": "train"}, "axes": [{"path": "config", "values": ["AGADReRamSB", "AGADFlash"]}]}"#)
        #expect(unknown?.contains("axis 'config' value \"AGADFlash\"") == true, "\(unknown ?? "no error")")
        let typo = planError(#"{"name": "t", "base": {"task": "train", "config": {"forward": {"inp_res": 0.01, "inp_rez": 1}}}, "axes": [{"path": "seed", "values": [1]}]}"#)
        #expect(typo?.contains("inp_rez") == true, "\(typo ?? "no error")")
    }

    /// A `train` sweep point reports the last epoch of the same run the library gives, and the
    /// metrics do not depend on how many points run at once.
    @Test func trainSweepMatchesTheLibraryRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try spec(#"""
            {"name": "train-small", "base": {"task": "train", "data": "synthetic", "train_samples": 2000, "test_samples": 400,
             "epochs": 2, "batch_size": 10, "learning_rate": 0.3},
             "axes": [{"path": "algorithm", "values": ["fp", "c-ttv2"]}, {"path": "seed", "values": [1]}]}
            """#)
        let runner = try SweepRunner(spec: s, registry: .standard)
        let one = try runner.run(resultsPath: dir.file("one.jsonl"), options: SweepRunOptions(jobs: 1))
        let two = try runner.run(resultsPath: dir.file("two.jsonl"), options: SweepRunOptions(jobs: 2))
        #expect(one.succeeded && two.succeeded && one.ran == 2)
        let a = SweepRecord.latest(try SweepResultsFile.read(dir.file("one.jsonl")).records)
        let b = Dictionary(uniqueKeysWithValues: SweepRecord.latest(try SweepResultsFile.read(dir.file("two.jsonl")).records).map { ($0.id, $0) })
        for r in a { #expect(b[r.id]?.metrics == r.metrics) }

        var t = TrainingTask()
        t.algorithm = .cTTv2
        t.data = TrainingTask.syntheticData
        t.trainSamples = 2000; t.testSamples = 400; t.epochs = 2; t.learningRate = 0.3; t.seed = 1
        let direct = try t.run().final
        let record = try #require(a.first { $0.point["algorithm"] == .string("c-ttv2") && $0.point["seed"] == .number(1) })
        #expect(record.metrics["test_accuracy"] == direct.testAccuracy)
        #expect(record.metrics["train_loss"] == direct.trainLoss)
        #expect(record.metrics["test_error"] == 1 - direct.testAccuracy!)
        // (How well each algorithm trains is asserted in TrainingTests/AlgorithmAccuracyTests; the
        // ReRamSB presets need far more than 400 mini-batches on this small network.)
        #expect((record.metrics["pulses_per_sample_A"] ?? 0) > 0 && (record.metrics["pulses_per_sample_C"] ?? 0) > 0)
        // Floating point has no devices, hence no pulse metrics; it trains this task (98.5 % for
        // seed 1, measured while writing the test; chance is 25 %, and 90 % is 35 standard
        // errors of chance, √(0.25·0.75/400) ≈ 2.2 points, above it).
        for fp in a where fp.point["algorithm"] == .string("fp") {
            #expect(fp.metrics.keys.allSatisfy { !$0.hasPrefix("pulses") })
            #expect((fp.metrics["test_accuracy"] ?? 0) >= 0.9, "fp: \(fp.metrics)")
        }
    }

    /// A checkpoint in a `train` point's folder that cannot be resumed (another run's, or a
    /// damaged file) is set aside with its reason reported, and the run starts afresh: it ends
    /// exactly where a run without any checkpoint ends.
    @Test func unusableCheckpointIsReportedAndTheRunStartsAfresh() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var t = TrainingTask()
        t.algorithm = .fp
        t.data = TrainingTask.syntheticData
        t.trainSamples = 200; t.testSamples = 100; t.epochs = 1; t.learningRate = 0.3; t.seed = 1
        let checkpoint = dir.file("checkpoint.bin")
        _ = try t.run(checkpoint: checkpoint)
        #expect(FileManager.default.fileExists(atPath: checkpoint))

        var other = t
        other.seed = 2
        let fresh = try other.run().final
        final class Reasons: @unchecked Sendable { var all: [String] = [] }
        let reasons = Reasons()
        var events = TrainingEvents()
        events.checkpointSetAside = { reasons.all.append($0) }
        let foreign = try other.run(checkpoint: checkpoint, events: events).final
        #expect(reasons.all.count == 1 && reasons.all[0].contains("belongs to another run") && reasons.all[0].contains("seed"),
                "\(reasons.all)")
        #expect(foreign.trainLoss == fresh.trainLoss && foreign.testAccuracy == fresh.testAccuracy)

        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: checkpoint))
        let damaged = try other.run(checkpoint: checkpoint, events: events).final
        #expect(reasons.all.count == 2 && reasons.all[1].contains(checkpoint), "\(reasons.all)")
        #expect(damaged.trainLoss == fresh.trainLoss && damaged.testAccuracy == fresh.testAccuracy)
    }

    /// A point whose run diverges is recorded as `diverged` (a result, not a failure): the
    /// sweep still succeeds, the point is not retried, and the report counts it in its own
    /// column while the sane point keeps its statistics.
    @Test func divergedPointIsAResultNotAFailure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try spec(#"""
            {"name": "lr-blowup", "base": {"task": "train", "data": "synthetic", "train_samples": 200, "test_samples": 100,
             "algorithm": "fp", "epochs": 1, "batch_size": 10},
             "axes": [{"path": "learning_rate", "values": [0.3, 1e30]}, {"path": "seed", "values": [1]}]}
            """#)
        let runner = try SweepRunner(spec: s, registry: .standard)
        let path = dir.file("r.jsonl")
        let first = try runner.run(resultsPath: path, options: SweepRunOptions(jobs: 1))
        #expect(first.succeeded && first.ran == 2 && first.divergedIDs.count == 1 && first.failedIDs.isEmpty)
        let again = try runner.run(resultsPath: path, options: SweepRunOptions(jobs: 1, retryFailed: true))
        #expect(again.ran == 0)
        let records = SweepRecord.latest(try SweepResultsFile.read(path).records)
        let bad = try #require(records.first { $0.point["learning_rate"] == .number(1e30) })
        #expect(bad.status == .diverged && bad.metrics.isEmpty && (bad.error ?? "").contains("diverged"))
        let report = try SweepReport(records: records)
        #expect(report.markdownTable.contains("diverged"))
        let sane = try #require(report.rows.first { $0.value(of: "learning_rate") == .number(0.3) })
        #expect(sane.okCount == 1 && sane.divergedCount == 0 && (sane.mean["train_loss"] ?? .nan).isFinite)
    }

    /// A `toy` sweep point carries the trace's numbers.
    @Test func toySweepMatchesTheExperiment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try spec(#"{"name": "toy", "base": {"task": "toy", "updates": 1500}, "axes": [{"path": "algorithm", "values": ["ttv2", "agad"]}, {"path": "offset", "values": [0, -0.8]}]}"#)
        let summary = try SweepRunner(spec: s, registry: .standard).run(resultsPath: dir.file("toy.jsonl"), options: SweepRunOptions(jobs: 2))
        #expect(summary.succeeded && summary.ran == 4)
        for r in try SweepResultsFile.read(dir.file("toy.jsonl")).records {
            var e = ToyExperiment()
            e.updates = 1500
            e.algorithm = try #require(AlgorithmName(rawValue: r.point["algorithm"]!.stringValue!))
            e.offset = Float(r.point["offset"]!.doubleValue!)
            let trace = try e.run()
            #expect(r.metrics["final_weight"] == Double(trace.finalWeight))
            #expect(r.metrics["progress"] == Double(trace.progress))
            #expect(r.metrics["net_pulses_W"] == Double(trace.totalNetPulses))
        }
    }
}
