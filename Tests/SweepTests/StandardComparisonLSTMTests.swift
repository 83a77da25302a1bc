import Foundation
import Testing
import CrossbarKit
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// The LSTM part of the standard comparison's full mode: its sweep is the paper's LSTM recipe
/// and device setting, valid for the real `train` task; the four image parts' sweeps are
/// unchanged (their committed results resume by point id); the loss verdict follows the nats
/// rule (run here on a stand-in task with known numbers).
@Suite struct StandardComparisonLSTMTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func lstmPartIsThePapersRecipe() throws {
        let full = StandardComparison(mode: .full)
        let part = try #require(full.networks.last)
        #expect(part.name == "lstm-build-config")
        #expect(part.rule == .testLoss)
        let spec = full.networkSpec(part)
        #expect(spec.name == "standard-full-lstm-build-config")
        #expect(spec.metrics.first == "test_loss" && spec.metrics.contains("test_perplexity") && spec.metrics.contains("test_accuracy"))
        #expect(spec.report.metric == "test_loss")
        let base = spec.base
        #expect(base["model"] == .string("lstm") && base["data"] == .string("fortunes"))
        #expect(base["epochs"] == .number(50) && base["batch_size"] == .number(32) && base["sequence_length"] == .number(100))
        #expect(base["learning_rate"] == .number(0.01))
        #expect(base["lr_schedule"] == nil && base["train_samples"] == nil && base["test_samples"] == nil)
        #expect(base["lstm"]?["hidden_size"] == .number(64) && base["lstm"]?["layers"] == .number(2) && base["lstm"]?["dropout"] == .number(0.2))
        #expect(base["recipe"] == .string("build_config") && base["device_preset"] == .string("soft_bounds_reference"))
        #expect(base["device"] == .object(["dw_min": .number(0.1), "subtract_symmetry_point": .bool(true)]))
        #expect(spec.axes.map(\.path) == ["device.reference_std", "seed", "algorithm"])
        #expect(spec.axes[0].values == [.number(0), .number(0.5), .number(0.3)])
        #expect(spec.axes[1].values == [.number(1), .number(2), .number(3)])
        #expect(spec.axes[2].values == ["fp", "ttv2", "c-ttv2", "agad"].map(JSONValue.string))

        let plan = try SweepPlan(spec: spec, registry: .standard)
        #expect(plan.points.count == 3 * 3 * 4)
        let decisiveFirst = plan.points.prefix(2 * 3 * 4).compactMap { $0.document["device"]?["reference_std"]?.doubleValue }
        #expect(Set(decisiveFirst) == [0, 0.5])

        // The point c-TTv2, σ_r = 0.5 resolves to the paper's LSTM setting.
        let point = try #require(plan.points.first { $0.document["algorithm"] == .string("c-ttv2") && $0.document["device"]?["reference_std"] == .number(0.5) })
        let task = try TrainSweepTask().task(point.document)
        #expect(task.model == .lstm && task.lstm == LSTMModelOptions() && task.lstm.hiddenSize == 64 && task.lstm.layers == 2)
        #expect(task.sequenceLength == 100 && task.batchSize == 32 && task.epochs == 50 && task.learningRate == 0.01)
        let configuration = try task.tileConfiguration()
        for io in [configuration.forward, configuration.backward] {
            #expect(io.inpRes == Float(1) / 126 && io.inpRes == IOParameters().inpRes)   // 7-bit DAC, exactly
            #expect(io.outRes == Float(1) / 510 && io.outRes == IOParameters().outRes)   // 9-bit ADC, exactly
            #expect(io.outScale == Float(2.0 / 0.6))
            #expect(io.outNoise == IOParameters().outNoise)
        }
        #expect(configuration.mapping.digitalBias)   // the reference's LSTM example: digital biases
        guard case let .compound(c) = configuration.device else {
            Issue.record("expected a compound for \(point.document)")
            return
        }
        #expect(c.unitCellDevices.allSatisfy { $0.model == .softBoundsReference && $0.dwMin == 0.1 && $0.subtractSymmetryPoint })
        #expect(c.unitCellDevices[0].referenceStd == 0.5 && c.unitCellDevices.dropFirst().allSatisfy { $0.referenceStd == 0 })
        let device = c.unitCellDevices[0]
        #expect(abs(Double(device.wMax - device.wMin) - part.setting.weightRange) < 1e-6)
        #expect(((device.wMax - device.wMin) / device.dwMin).rounded() == 12)
    }

    /// The image parts are exactly what the committed results were run from: same sweep files
    /// byte for byte, same point ids.
    @Test func imagePartsAreUnchanged() throws {
        let full = StandardComparison(mode: .full)
        #expect(full.networks.map(\.name) == ["fc-presets", "fc-build-config", "lenet5-presets", "lenet5-build-config", "lstm-build-config"])
        let folder = Self.repository.appendingPathComponent("docs/results/full")
        for n in full.networks {
            let committed = try String(contentsOf: folder.appendingPathComponent("\(n.name)-sweep.json"), encoding: .utf8)
            #expect(full.networkSpec(n).toJSON() + "\n" == committed, "\(n.name)")
            #expect(n.rule == (n.model == .lstm ? .testLoss : .testAccuracy), "\(n.name)")
        }
        // Ids printed by `crossbar sweep plan docs/results/full/fc-presets-sweep.json` before the LSTM part existed.
        let fc = try SweepPlan(spec: full.networkSpec(full.networks[0]), registry: .standard).points
        #expect(fc.count == 60)
        #expect(fc[0].id == "c353cb82aa113fdb")
        #expect(fc[1].id == "99d9843adffd8de5")
        #expect(fc[59].id == "5e0bd76a5b276848")
        #expect(NetworkVerdictRule.testAccuracy.degradeStandardErrors == 2 && NetworkVerdictRule.testAccuracy.degradeMargin == 0.03)
        #expect(NetworkVerdictRule.testAccuracy.holdMargin == 0.02 && NetworkVerdictRule.testAccuracy.nearFloatingPointMargin == 0.05)
        // The accuracy rule's text on the results page, as it was.
        #expect(NetworkVerdictRule.testAccuracy.markdownBullets == """
            - TTv2 **degrades** when its mean at σ_r = 0.5 is below its mean at σ_r = 0 by more than 2 standard errors of the \
            difference (√(s₀²/n₀ + s₅²/n₅), sample standard deviations over seeds) **and** by more than 3 percentage points;
            - c-TTv2 and AGAD each **hold** when their σ_r = 0.5 mean is within 2 points of their σ_r = 0 mean **and** within \
            5 points of floating point;

            """)
    }

    /// Stand-in for the LSTM `train` task: test loss = base + rise·σ_r + spread·(seed − 2) per
    /// algorithm (nats per character), and a two-epoch loss curve ending there.
    struct FakeLSTMTrain: SweepTask {
        let name = "train"
        let base: [String: Double]
        let rise: [String: Double]
        let spread: Double
        func validate(point: JSONValue) throws {}
        func run(point: JSONValue) throws -> SweepMetrics {
            let a = point["algorithm"]!.stringValue!
            let sigma = point["device"]!["reference_std"]!.doubleValue!
            let seed = point["seed"]!.doubleValue!
            let loss = base[a]! + rise[a]! * sigma + spread * (seed - 2)
            return SweepMetrics(["test_loss": loss, "test_perplexity": exp(loss), "test_accuracy": 0.5, "train_loss": loss],
                                extra: .object(["test_loss_per_epoch": .array([.number(loss + 0.5), .number(loss)])]))
        }
    }

    /// Runs the LSTM part alone (σ_r ∈ {0, 0.5}, two epochs, `seeds`) on the stand-in; returns
    /// its verdict and the summary page.
    func run(base: [String: Double], rise: [String: Double], spread: Double = 0.005, seeds: [Int] = [1, 2, 3])
        throws -> (verdict: NetworkVerdict, text: String)
    {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var part = StandardComparison.lstmPart
        part.epochs = 2
        part.offsets = [0, 0.5]
        part.seeds = seeds
        let c = StandardComparison(mode: .full, networks: [part])
        let layout = StandardComparison.Layout(directory: dir.path)
        let text = try c.run(into: layout, jobs: 2, parts: [.network(part.name)],
                             registry: SweepTaskRegistry([FakeLSTMTrain(base: base, rise: rise, spread: spread)]))
        for f in ["report.md", "test_loss-vs-device.reference_std.svg", "training-curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: layout.networkReport(part.name) + "/" + f), "missing \(f)")
        }
        let curves = try String(contentsOfFile: layout.networkReport(part.name) + "/training-curves.svg", encoding: .utf8)
        #expect(curves.contains("test loss per epoch") && curves.contains("nats/char"))
        let report = try SweepReport(records: SweepResultsFile.read(layout.networkResults(part.name)).records)
        return (NetworkVerdict(part: part, report: report), text)
    }

    @Test func lossVerdictFollowsTheNatsRule() throws {
        // The paper's picture: TTv2 +0.15 nats/char at σ_r = 0.5, c-TTv2 +0.02, AGAD +0.
        let good = try run(base: ["fp": 1.40, "ttv2": 1.45, "c-ttv2": 1.45, "agad": 1.46],
                           rise: ["fp": 0, "ttv2": 0.3, "c-ttv2": 0.04, "agad": 0])
        #expect(good.verdict.ttv2Degrades == true)
        #expect(good.verdict.holds("c-ttv2") == true && good.verdict.holds("agad") == true)
        #expect(good.verdict.claimHolds == true)
        let (d, se) = try #require(good.verdict.change("ttv2"))
        #expect(abs(d - 0.15) < 1e-9 && abs(se - (2 * 0.005 * 0.005 / 3).squareRoot()) < 1e-9)
        #expect(good.text.contains("| lstm-build-config | 1.400 | 1.450 → 1.600 (+0.150 ± 0.004; n = 3/3) | yes |"))
        #expect(good.text.contains("| ttv2 | 1.450 ± 0.005 | 1.600 ± 0.005 |"))
        #expect(good.text.contains("by more than 0.06 nats per character"))
        #expect(good.text.contains("within 0.04 nats/char of their σ_r = 0 mean"))
        #expect(good.text.contains("about 4 %, in perplexity"))
        #expect(good.text.contains("within 0.1 nats/char of floating point (at most that much above it"))

        // Lower is better: TTv2 getting 0.2 nats/char *better* at σ_r = 0.5 does not degrade;
        // c-TTv2 rising 0.05 nats/char (> 0.04) does not hold; AGAD 0.15 above fp fails the fp rule.
        let bad = try run(base: ["fp": 1.40, "ttv2": 1.60, "c-ttv2": 1.45, "agad": 1.55],
                          rise: ["fp": 0, "ttv2": -0.4, "c-ttv2": 0.1, "agad": 0])
        #expect(bad.verdict.ttv2Degrades == false)
        #expect(bad.verdict.holds("c-ttv2") == false)
        let (dAgad, _) = try #require(bad.verdict.change("agad"))
        #expect(abs(dAgad) < 1e-9)   // AGAD does not move with σ_r …
        #expect(bad.verdict.holds("agad") == false)   // … but is 0.15 nats/char worse than fp
        #expect(bad.verdict.claimHolds == false)

        // Within the fp margin (0.08 above fp) it holds; below fp is never a failure.
        let near = try run(base: ["fp": 1.40, "ttv2": 1.45, "c-ttv2": 1.48, "agad": 1.20],
                           rise: ["fp": 0, "ttv2": 0.3, "c-ttv2": 0, "agad": 0])
        #expect(near.verdict.holds("c-ttv2") == true && near.verdict.holds("agad") == true && near.verdict.claimHolds == true)

        // A rise above 2 standard errors but below 0.06 nats/char does not count as degrading.
        let small = try run(base: ["fp": 1.40, "ttv2": 1.45, "c-ttv2": 1.45, "agad": 1.45],
                            rise: ["fp": 0, "ttv2": 0.1, "c-ttv2": 0, "agad": 0], spread: 0.001)
        #expect(small.verdict.ttv2Degrades == false)
    }

    @Test func lossVerdictIsUndecidedWithOneSeed() throws {
        let single = try run(base: ["fp": 1.40, "ttv2": 1.45, "c-ttv2": 1.45, "agad": 1.46],
                             rise: ["fp": 0, "ttv2": 0.3, "c-ttv2": 0.04, "agad": 0], seeds: [1])
        #expect(single.verdict.values["ttv2"]?[0.5]?.count == 1)
        #expect(single.verdict.ttv2Degrades == nil)
        #expect(single.verdict.holds("c-ttv2") == nil && single.verdict.holds("agad") == nil)
        #expect(single.verdict.claimHolds == nil)
        // Seed 1 alone: every loss 0.005 below the three seeds' mean.
        #expect(single.text.contains("| lstm-build-config | 1.395 | 1.445 → 1.595 (+0.150; n = 1/1) | undecided | "))
        #expect(single.text.contains("| undecided |\n"))
    }
}
