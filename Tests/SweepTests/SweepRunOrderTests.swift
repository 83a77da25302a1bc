import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarSweep

/// `SweepRunOptions.runOrder` (`crossbar sweep run --run-order`): the order in which pending
/// points start, without changing what the results file holds.
@Suite struct SweepRunOrderTests {
    @Test func pointsStartInTheNamedAxisOrderAndTheRecordsAreTheGrids() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        // Grid order: algorithm (slowest), noise, seed.
        let runner = try SweepRunner(spec: spec(SweepRunnerTests.syntheticSweep), registry: .standard)
        let order = ["seed", "noise"]
        let ordered = try runner.plan.ordered(runner.plan.points, by: order)
        // seed slowest, then noise, then index (algorithm): seed 1 / noise 0.05 first.
        let labels = ordered.map { p in p.assignments.map { $0.value.shortDescription }.joined(separator: " ") }
        #expect(labels == ["sgd 0.05 1", "momentum 0.05 1", "averaged 0.05 1", "sgd 0.3 1", "momentum 0.3 1", "averaged 0.3 1",
                           "sgd 0.05 2", "momentum 0.05 2", "averaged 0.05 2", "sgd 0.3 2", "momentum 0.3 2", "averaged 0.3 2"])
        // With one job the results file's lines are in run order; the records are those of an
        // index-order run (same ids, indices, axes and metrics).
        _ = try runner.run(resultsPath: dir.file("ordered.jsonl"), options: SweepRunOptions(jobs: 1, runOrder: order))
        _ = try runner.run(resultsPath: dir.file("plain.jsonl"), options: SweepRunOptions(jobs: 1))
        let a = try SweepResultsFile.read(dir.file("ordered.jsonl")).records
        let b = try SweepResultsFile.read(dir.file("plain.jsonl")).records
        #expect(a.map(\.id) == ordered.map(\.id))
        #expect(b.map(\.index) == Array(0..<12))
        #expect(SweepComparison.differences(a, b).isEmpty)
        // Resuming with a different order runs nothing twice.
        let again = try runner.run(resultsPath: dir.file("ordered.jsonl"), options: SweepRunOptions(jobs: 1))
        #expect(again.ran == 0 && again.skipped == 12)
    }

    @Test func anOrderThatIsNotTheSweepsAxesIsRefusedByName() throws {
        let runner = try SweepRunner(spec: spec(SweepRunnerTests.syntheticSweep), registry: .standard)
        for bad in [["sede"], ["seed", "seed"], [""]] {
            do {
                _ = try runner.plan.ordered(runner.plan.points, by: bad)
                Issue.record("\(bad) was accepted")
            } catch let e as CrossbarError {
                #expect("\(e)".contains("run_order"), "\(e)")
            }
        }
        #expect(try runner.plan.ordered(runner.plan.points, by: []).map(\.index) == Array(0..<12))
        // The runner refuses it before creating the results file.
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(throws: CrossbarError.self) {
            _ = try runner.run(resultsPath: dir.file("r.jsonl"), options: SweepRunOptions(runOrder: ["sede"]))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("r.jsonl")))
    }
}
