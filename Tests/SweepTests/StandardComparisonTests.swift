import Foundation
import Testing
@testable import CrossbarKit

/// The standard comparison: its sweeps are valid for the real tasks, and its verdicts on the
/// paper's claims are computed from the results (run here on stand-in tasks with known numbers).
@Suite struct StandardComparisonTests {
    @Test func sweepsAreValidAndSized() throws {
        for (mode, programPoints, fcPoints) in [(StandardComparison.Mode.quick, 4 * 3 * 5 * 3, 4 * 3), (.full, 4 * 6 * 5 * 5, 4 * 5 * 2)] {
            let c = StandardComparison(mode: mode)
            #expect(try SweepPlan(spec: c.programSpec, registry: .standard).points.count == programPoints)
            #expect(try SweepPlan(spec: c.trainingSpec, registry: .standard).points.count == fcPoints)
        }
    }

    /// Stand-in for `program`: error = base·(1 + slope·σ_r) per algorithm (independent of the
    /// number of states and the seed).
    struct FakeProgram: SweepTask {
        let name = "program"
        let base: [String: Double]
        let slope: [String: Double]
        func validate(point: JSONValue) throws {}
        func run(point: JSONValue) throws -> SweepMetrics {
            let a = point["algorithm"]!.stringValue!
            let sigma = point["device"]!["reference_std"]!.doubleValue!
            let e = base[a]! * (1 + slope[a]! * sigma)
            return SweepMetrics(["weight_error_std": e, "weight_error_rms": e])
        }
    }

    /// Stand-in for `train`: accuracy = top − drop·σ_r per algorithm.
    struct FakeTrain: SweepTask {
        let name = "train"
        let drop: [String: Double]
        func validate(point: JSONValue) throws {}
        func run(point: JSONValue) throws -> SweepMetrics {
            let a = point["algorithm"]!.stringValue!
            let sigma = point["device"]!["reference_std"]!.doubleValue!
            return SweepMetrics(["test_accuracy": 0.85 - drop[a]! * sigma, "train_loss": 0.5])
        }
    }

    func verdicts(slope: [String: Double], drop: [String: Double]) throws -> ([ComparisonClaim], String) {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let registry = SweepTaskRegistry([
            FakeProgram(base: ["sgd": 0.3, "ttv2": 0.05, "c-ttv2": 0.05, "agad": 0.05], slope: slope),
            FakeTrain(drop: drop),
        ])
        let c = StandardComparison(mode: .quick)
        let layout = StandardComparison.Layout(directory: dir.path)
        let text = try c.run(into: layout, jobs: 2, registry: registry)
        for f in [layout.programSpec, layout.programResults, layout.trainingResults, layout.summary,
                  layout.programReport + "/report.md", layout.trainingReport + "/report.md"] {
            #expect(FileManager.default.fileExists(atPath: f), "missing \(f)")
        }
        let program = try SweepReport(records: SweepResultsFile.read(layout.programResults).records)
        let training = try SweepReport(records: SweepResultsFile.read(layout.trainingResults).records)
        return (c.claims(program: program, training: training), text)
    }

    @Test func verdictsFollowTheNumbers() throws {
        // The paper's picture: TTv2 degrades with σ_r (error ×6 at 0.5), c-TTv2 and AGAD do not.
        let (good, text) = try verdicts(slope: ["sgd": 0, "ttv2": 10, "c-ttv2": 0.2, "agad": 0],
                                        drop: ["fp": 0, "ttv2": 0.4, "c-ttv2": 0.02, "agad": 0.01])
        #expect(good.count == 6)
        #expect(good.allSatisfy { $0.holds == true }, "\(good.map(\.holds))")
        #expect(text.contains("| 0.5 | 0.3000 | 0.3000 | 0.0550 | 0.0500 |"))  // σ_r = 0.5 row at 20 states
        #expect(text.contains("85.00 %"))
        // The opposite picture: TTv2 barely moves (×1.5 at σ_r = 0.5) and c-TTv2 degrades; the verdicts flip.
        let (bad, _) = try verdicts(slope: ["sgd": 0, "ttv2": 1, "c-ttv2": 10, "agad": 0],
                                    drop: ["fp": 0, "ttv2": 0, "c-ttv2": 0.4, "agad": 0.2])
        #expect(bad[1].holds == false)  // TTv2 does not fail
        #expect(bad[2].holds == false)  // c-TTv2 not maintained
        #expect(bad[3].holds == true)   // AGAD invariant
        #expect(bad[4].holds == false)  // TTv2 does not lose the most accuracy
        #expect(bad[5].holds == false)  // c-TTv2 far from fp at σ_r = 0.5
    }
}
