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

@Suite struct SweepRunnerTests {
    static let syntheticSweep = """
        {"name": "r", "base": {"task": "synthetic", "steps": 100},
         "axes": [{"path": "algorithm", "values": ["sgd", "momentum", "averaged"]},
                  {"path": "noise", "values": [0.05, 0.3]},
                  {"path": "seed", "values": [1, 2]}],
         "metrics": ["test_mse"]}
        """

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func runsEveryPointOnceWithCompleteRecords() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let runner = try SweepRunner(spec: spec(Self.syntheticSweep), registry: .standard)
        let summary = try runner.run(resultsPath: dir.file("r.jsonl"), options: SweepRunOptions(jobs: 3))
        #expect(summary.points == 12 && summary.ran == 12 && summary.skipped == 0 && summary.succeeded)
        let text = try lines(dir.file("r.jsonl"))
        #expect(text.count == 13 && text.last == "") // 12 newline-terminated lines
        let (records, torn) = try SweepResultsFile.read(dir.file("r.jsonl"))
        #expect(torn == 0)
        #expect(Set(records.map(\.id)) == Set(runner.plan.points.map(\.id)))
        for r in records {
            let p = runner.plan.points[r.index]
            #expect(r.id == p.id && r.point == p.document && r.status == .ok && r.error == nil)
            #expect(r.seed == p.document["seed"]!)
            #expect(r.version == CrossbarKit.version && !r.host.isEmpty && r.shard == "0/1" && r.sweep["name"] == "r")
            #expect(r.metrics["test_mse"]! > 0 && r.seconds >= 0 && r.finished.hasSuffix("Z"))
            #expect(r.axes == p.assignments)
            // The record is what the task computes for the document.
            #expect(try SyntheticTask().run(point: r.point).values == r.metrics)
        }
    }

    @Test func resultsDoNotDependOnTheNumberOfJobs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let runner = try SweepRunner(spec: spec(Self.syntheticSweep), registry: .standard)
        _ = try runner.run(resultsPath: dir.file("one.jsonl"), options: SweepRunOptions(jobs: 1))
        _ = try runner.run(resultsPath: dir.file("four.jsonl"), options: SweepRunOptions(jobs: 4))
        let a = try SweepResultsFile.read(dir.file("one.jsonl")).records
        let b = try SweepResultsFile.read(dir.file("four.jsonl")).records
        #expect(SweepComparison.differences(a, b).isEmpty)
        // With one job the lines are in expansion order.
        #expect(a.map(\.index) == Array(0..<12))
    }

    @Test func jobsRunConcurrentlyButNeverMoreThanK() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let probe = ConcurrencyProbe(target: 3)
        let registry = SweepTaskRegistry([ProbeTask(concurrency: probe)])
        let s = try spec(#"{"name": "c", "base": {"task": "probe", "seed": 0}, "axes": [{"path": "x", "values": [1, 2, 3, 4, 5, 6, 7, 8, 9]}]}"#)
        let summary = try SweepRunner(spec: s, registry: registry).run(resultsPath: dir.file("c.jsonl"), options: SweepRunOptions(jobs: 3))
        #expect(summary.ran == 9)
        #expect(probe.maxInFlight == 3)
        // Concurrent appends never interleave: every line is a complete record.
        #expect(try SweepResultsFile.read(dir.file("c.jsonl")).records.count == 9)
    }

    @Test func failuresAreRecordedAndTheSweepGoesOn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let registry = SweepTaskRegistry([ProbeTask()])
        let s = try spec(#"{"name": "f", "base": {"task": "probe", "seed": 0, "fail_when": 2}, "axes": [{"path": "x", "values": [1, 2, 3]}]}"#)
        let runner = try SweepRunner(spec: s, registry: registry)
        let path = dir.file("f.jsonl")
        let first = try runner.run(resultsPath: path, options: SweepRunOptions(jobs: 2))
        #expect(first.ran == 3 && first.failedNow == 1 && !first.succeeded)
        #expect(first.failedIDs == [runner.plan.points[1].id])
        let records = try SweepResultsFile.read(path).records
        let failed = records.first { $0.status == .failed }!
        #expect(failed.index == 1 && failed.metrics.isEmpty && failed.error == "probe failure at x = 2.0")
        #expect(records.filter { $0.status == .ok }.map { $0.metrics["y"]! }.sorted() == [1, 9])

        // Re-running does nothing (a failure is final by default) and still reports the failure.
        let second = try runner.run(resultsPath: path)
        #expect(second.ran == 0 && second.skipped == 3 && second.failedIDs.count == 1)
        #expect(try SweepResultsFile.read(path).records.count == 3)

        // --retry-failed re-runs only the failed point; it fails again and is appended once more;
        // readers take the latest record per id, so nothing is duplicated in their view.
        let third = try runner.run(resultsPath: path, options: SweepRunOptions(retryFailed: true))
        #expect(third.ran == 1 && third.skipped == 2)
        let all = try SweepResultsFile.read(path).records
        #expect(all.count == 4 && SweepRecord.latest(all).count == 3)
    }

    @Test func aRetriedPointThatNowSucceedsReplacesTheFailure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("r.jsonl")
        let s = try spec(#"{"name": "f", "base": {"task": "probe", "seed": 0}, "axes": [{"path": "x", "values": [1, 2]}]}"#)
        // A task that fails the first time (a flaky dependency), then works.
        final class Flaky: SweepTask, @unchecked Sendable {
            let name = "probe"
            var failuresLeft = 1
            let lock = NSLock()
            func validate(point: JSONValue) throws { try ProbeTask().validate(point: point) }
            func run(point: JSONValue) throws -> SweepMetrics {
                lock.lock()
                defer { lock.unlock() }
                if point["x"] == 2 && failuresLeft > 0 { failuresLeft -= 1; throw CrossbarError.message("flaky") }
                return try ProbeTask().run(point: point)
            }
        }
        let runner = try SweepRunner(spec: s, registry: SweepTaskRegistry([Flaky()]))
        #expect(try !runner.run(resultsPath: path).succeeded)
        let retry = try runner.run(resultsPath: path, options: SweepRunOptions(retryFailed: true))
        #expect(retry.succeeded && retry.ran == 1)
        let latest = SweepRecord.latest(try SweepResultsFile.read(path).records)
        #expect(latest.count == 2 && latest.allSatisfy { $0.status == .ok })
    }

    @Test func aMissingRequestedMetricFailsThePoint() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try spec(#"{"name": "m", "base": {"task": "probe", "seed": 0}, "axes": [{"path": "x", "values": [1]}], "metrics": ["y", "z"]}"#)
        let summary = try SweepRunner(spec: s, registry: SweepTaskRegistry([ProbeTask()])).run(resultsPath: dir.file("m.jsonl"))
        #expect(!summary.succeeded)
        let r = try SweepResultsFile.read(dir.file("m.jsonl")).records[0]
        #expect(r.error?.contains("'metrics'") == true && r.error?.contains("z") == true)
    }

    @Test func aTornLastLineIsRepairedWithoutLosingCompleteLines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("t.jsonl")
        let runner = try SweepRunner(spec: spec(Self.syntheticSweep), registry: .standard)
        // Run half the points (shard 0 of 2), then simulate a kill in the middle of a write.
        _ = try runner.run(resultsPath: path, options: SweepRunOptions(shard: SweepShard(index: 0, count: 2)))
        let complete = try String(contentsOfFile: path, encoding: .utf8)
        let partial = String(try SweepResultsFile.read(path).records[0].line.prefix(57))
        try (complete + partial).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try SweepResultsFile.read(path).tornBytes == 57)

        let summary = try runner.run(resultsPath: path)
        #expect(summary.repairedBytes == 57)
        #expect(summary.skipped == 6 && summary.ran == 6)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(complete)) // the complete lines are untouched
        let records = try SweepResultsFile.read(path).records
        #expect(records.count == 12 && Set(records.map(\.id)).count == 12)
    }

    @Test func aCorruptCompleteLineIsAnErrorNamingTheLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("bad.jsonl")
        try "{\"not\": \"a record\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let m = errorText { _ = try SweepRunner(spec: spec(Self.syntheticSweep), registry: .standard).run(resultsPath: path) }
        #expect(m?.contains("bad.jsonl") == true && m?.contains("line 1") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"not\": \"a record\"}\n") // untouched
    }

    @Test func twoRunsCannotWriteOneFileAtOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("locked.jsonl")
        let holder = try SweepResultsAppender(path: path)
        let m = errorText { _ = try SweepRunner(spec: spec(Self.syntheticSweep), registry: .standard).run(resultsPath: path) }
        #expect(m?.contains("locked") == true)
        withExtendedLifetime(holder) {}
    }

    @Test func invalidSweepsRunNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try spec(#"{"name": "i", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [0.1, -1]}]}"#)
        #expect(throws: CrossbarError.self) { _ = try SweepRunner(spec: s, registry: .standard) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("r.jsonl")))
    }
}
