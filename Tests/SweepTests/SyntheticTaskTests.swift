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

@Suite struct SyntheticTaskTests {
    let task = SyntheticTask()

    @Test func sameDocumentSameMetricsAndSeedsMatter() throws {
        let doc: JSONValue = ["task": "synthetic", "seed": 5, "noise": 0.2, "steps": 300]
        let a = try task.run(point: doc), b = try task.run(point: doc)
        #expect(a == b)
        let c = try task.run(point: doc.setting(6, at: JSONPath("seed")))
        #expect(c.values["test_mse"] != a.values["test_mse"])
        #expect(a.extra?["loss_trace"]?.arrayValue?.count == 10)
        #expect(Set(a.values.keys) == ["test_mse", "train_mse", "weight_error"])
    }

    /// The metrics respond to the swept parameters. Seeds are fixed, so these are exact
    /// comparisons of deterministic numbers; the margins are wide: with noise σ the stationary
    /// SGD error grows like η σ² (here 0.05 × 0.25 vs 0), and 2000 steps shrink the initial
    /// error ‖w*‖² ≈ 1 by far more than 20 steps do.
    @Test func metricsFollowTheParameters() throws {
        func meanTestMSE(_ changes: [String: JSONValue]) throws -> Double {
            var total = 0.0
            for seed in 1...8 {
                var doc: JSONValue = ["task": "synthetic", "seed": .number(Double(seed)), "steps": 2000]
                for (k, v) in changes { try doc.set(v, at: JSONPath(k)) }
                total += try task.run(point: doc).values["test_mse"]!
            }
            return total / 8
        }
        let quiet = try meanTestMSE(["noise": 0])
        let noisy = try meanTestMSE(["noise": 0.5])
        #expect(noisy > 10 * quiet)
        let short = try meanTestMSE(["noise": 0.1, "steps": 20])
        let long = try meanTestMSE(["noise": 0.1])
        #expect(short > 10 * long)
        let averaged = try meanTestMSE(["noise": 0.5, "algorithm": "averaged"])
        #expect(averaged < noisy) // iterate averaging removes much of the noise floor
        let jittery = try meanTestMSE(["noise": 0, "update_noise": 0.01])
        #expect(jittery > 10 * quiet)
    }

    @Test func divergenceFailsWithAClearMessage() {
        let m = errorText { _ = try task.run(point: ["task": "synthetic", "learning_rate": 5, "features": 32, "steps": 500]) }
        #expect(m?.contains("diverged") == true && m?.contains("learning_rate") == true)
    }

    @Test func validationIsStrict() {
        #expect(errorText { try task.validate(point: ["task": "synthetic", "sleepms": 3]) }?.contains("did you mean 'sleep_ms'") == true)
        #expect(errorText { try task.validate(point: ["task": "synthetic", "features": 0]) }?.contains("'features'") == true)
        #expect(errorText { try task.validate(point: ["task": "synthetic", "learning_rate": 0]) }?.contains("'learning_rate'") == true)
        let negativeSeed = errorText { try task.validate(point: ["task": "synthetic", "seed": -1]) }
        #expect(negativeSeed?.contains("seed") == true, "\(negativeSeed ?? "no error")")
        #expect(errorText { try task.validate(point: ["task": "synthetic", "algorithm": "adam"]) }?.contains("adam") == true)
        #expect(errorText { try task.validate(point: ["task": "synthetic"]) } == nil)
    }
}
