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

@Suite struct SweepMergeTests {
    static let sweep = """
        {"name": "m", "base": {"task": "synthetic", "steps": 50},
         "axes": [{"path": "noise", "values": [0, 0.1, 0.2]}, {"path": "seed", "values": [1, 2, 3]}]}
        """

    /// Runs the sweep in `n` shards into separate files; returns their paths.
    func shards(_ n: Int, in dir: TemporaryDirectory) throws -> [String] {
        let runner = try SweepRunner(spec: spec(Self.sweep), registry: .standard)
        return try (0..<n).map { i in
            let path = dir.file("shard-\(i).jsonl")
            _ = try runner.run(resultsPath: path, options: SweepRunOptions(shard: SweepShard(index: i, count: n), jobs: 2))
            return path
        }
    }

    @Test func shardsMergeIntoTheUnshardedRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let paths = try shards(4, in: dir)
        let result = try SweepMerger().merge(paths: paths)
        #expect(result.records.count == 9 && result.duplicates == 0 && result.conflicts.isEmpty)
        #expect(result.records.map(\.index) == Array(0..<9))
        try SweepMerger.write(result.records, to: dir.file("all.jsonl"))
        _ = try SweepRunner(spec: spec(Self.sweep), registry: .standard).run(resultsPath: dir.file("whole.jsonl"))
        let merged = try SweepResultsFile.read(dir.file("all.jsonl")).records
        let whole = try SweepResultsFile.read(dir.file("whole.jsonl")).records
        #expect(SweepComparison.differences(merged, whole).isEmpty)
        #expect(merged.map(\.shard).contains("3/4"))
    }

    @Test func identicalDuplicatesCollapse() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let paths = try shards(2, in: dir)
        // Shard 0 given twice, plus a copy of the whole file: every point once.
        let result = try SweepMerger().merge(paths: [paths[0], paths[1], paths[0]])
        #expect(result.records.count == 9)
        #expect(result.duplicates == 5) // shard 0 holds indices 0, 2, 4, 6, 8
    }

    @Test func conflictingDuplicatesAreReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let paths = try shards(1, in: dir)
        var records = SweepRecord.latest(try SweepResultsFile.read(paths[0]).records) // by index
        records[4].metrics["test_mse"]! *= 1.5
        try SweepMerger.write(records, to: dir.file("tampered.jsonl"))

        let message = errorText { _ = try SweepMerger().merge(paths: [paths[0], dir.file("tampered.jsonl")]) }
        #expect(message?.contains("1 point(s) have conflicting results") == true)
        #expect(message?.contains(records[4].id) == true && message?.contains("test_mse") == true)

        let first = try SweepMerger(policy: .first).merge(paths: [paths[0], dir.file("tampered.jsonl")])
        #expect(first.conflicts.count == 1 && first.records[4].metrics != records[4].metrics)
        let last = try SweepMerger(policy: .last).merge(paths: [paths[0], dir.file("tampered.jsonl")])
        #expect(last.records[4].metrics == records[4].metrics)
        // A tolerance absorbs small differences (here 50 %: within a relative 0.5).
        let tolerant = try SweepMerger(tolerance: 0.5).merge(paths: [paths[0], dir.file("tampered.jsonl")])
        #expect(tolerant.conflicts.isEmpty && tolerant.duplicates == 9)
    }

    @Test func aSuccessReplacesAFailureAndWithinAFileTheLatestCounts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let paths = try shards(1, in: dir)
        var records = SweepRecord.latest(try SweepResultsFile.read(paths[0]).records) // by index
        var failed = records[2]
        failed.status = .failed
        failed.metrics = [:]
        failed.error = "boom"
        try SweepMerger.write([failed], to: dir.file("failed.jsonl"))
        let merged = try SweepMerger().merge(paths: [dir.file("failed.jsonl"), paths[0]])
        #expect(merged.replacedFailures == 1 && merged.records[2].status == .ok)
        // Within one file: a failure followed by a success of the same id (a retry) → the success.
        records.insert(failed, at: 0)
        try SweepMerger.write(records, to: dir.file("retried.jsonl"))
        let single = try SweepMerger().merge(paths: [dir.file("retried.jsonl")])
        #expect(single.records.count == 9 && single.records.allSatisfy { $0.status == .ok })
    }

    @Test func tornInputsAreToleratedAndReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let paths = try shards(2, in: dir)
        let handle = try #require(FileHandle(forWritingAtPath: paths[1]))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"axes":[{"pa"#.utf8))
        try handle.close()
        let result = try SweepMerger().merge(paths: paths)
        #expect(result.records.count == 9)
        #expect(result.tornInputs.count == 1 && result.tornInputs[0].path == paths[1])
        let missing = errorText { _ = try SweepMerger().merge(paths: [dir.file("nope.jsonl")]) }
        #expect(missing?.contains("nope.jsonl") == true)
    }
}
