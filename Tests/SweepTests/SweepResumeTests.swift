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

/// Kill a real `crossbar sweep run` process mid-sweep (SIGKILL), run it again, and check that no
/// point is lost or duplicated and that the metrics equal an uninterrupted run.
@Suite struct SweepResumeTests {
    /// 16 points of ≥ 150 ms each, 2 at a time: about 1.2 s uninterrupted.
    static let slowSweep = """
        {"name": "slow", "base": {"task": "synthetic", "steps": 200, "sleep_ms": 150},
         "axes": [{"path": "noise", "values": [0.05, 0.1, 0.2, 0.4]},
                  {"path": "seed", "values": [1, 2, 3, 4]}]}
        """

    @Test func killedSweepResumesWithoutLossOrDuplicates() throws {
        let binary = try #require(crossbarBinary(), "the crossbar executable was not built next to the tests")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let specPath = dir.file("slow.json"), results = dir.file("slow.jsonl")
        try Self.slowSweep.write(toFile: specPath, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["sweep", "run", specPath, "--out", results, "--jobs", "2", "--quiet"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for at least 4 finished points (bounded), then kill without warning.
        let deadline = Date().addingTimeInterval(60)
        var finishedBeforeKill = 0
        while Date() < deadline && process.isRunning {
            finishedBeforeKill = (try? SweepResultsFile.read(results).records.count) ?? 0
            if finishedBeforeKill >= 4 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the sweep finished before it could be killed")
        let afterKill = try SweepResultsFile.read(results)
        #expect(afterKill.records.count >= 4 && afterKill.records.count < 16)

        // Resume: same command, to completion.
        let resumed = try runProcess(binary, ["sweep", "run", specPath, "--out", results, "--jobs", "2", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.err.contains("\(afterKill.records.count) already done"))
        let (records, torn) = try SweepResultsFile.read(results)
        #expect(torn == 0)
        #expect(records.count == 16, "lines: \(records.count)")
        #expect(Set(records.map(\.id)).count == 16)
        // The records written before the kill are still the first lines of the file.
        #expect(Array(records.prefix(afterKill.records.count)) == afterKill.records)

        // Same metrics as an uninterrupted run of the same sweep (in-process, 4 jobs).
        let uninterrupted = dir.file("reference.jsonl")
        _ = try SweepRunner(spec: spec(Self.slowSweep), registry: .standard).run(resultsPath: uninterrupted, options: SweepRunOptions(jobs: 4))
        let reference = try SweepResultsFile.read(uninterrupted).records
        #expect(SweepComparison.differences(records, reference).isEmpty)

        // A third run has nothing left to do.
        let third = try runProcess(binary, ["sweep", "run", specPath, "--out", results, "--quiet"])
        #expect(third.status == 0 && third.err.contains("16 already done, 0 run now"))
    }

    @Test func cliExitStatusAndErrors() throws {
        let binary = try #require(crossbarBinary(), "the crossbar executable was not built next to the tests")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        // A diverging point makes the run exit 2, and the others still run.
        try """
            {"name": "d", "base": {"task": "synthetic", "features": 32, "steps": 300},
             "axes": [{"path": "learning_rate", "values": [0.01, 5]}]}
            """.write(toFile: dir.file("d.json"), atomically: true, encoding: .utf8)
        let run = try runProcess(binary, ["sweep", "run", dir.file("d.json"), "--out", dir.file("d.jsonl")])
        #expect(run.status == 2)
        #expect(run.err.contains("FAILED") && run.err.contains("diverged"))
        #expect(try SweepResultsFile.read(dir.file("d.jsonl")).records.count == 2)

        // An invalid sweep: exit 1, the error on stderr naming the axis, nothing written.
        try #"{"name": "bad", "base": {"task": "synthetic"}, "axes": [{"path": "noise", "values": [-2]}]}"#
            .write(toFile: dir.file("bad.json"), atomically: true, encoding: .utf8)
        let bad = try runProcess(binary, ["sweep", "run", dir.file("bad.json"), "--out", dir.file("bad.jsonl")])
        #expect(bad.status == 1 && bad.err.contains("axis 'noise' value -2"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("bad.jsonl")))

        // Bad options are usage errors (validate() before run()).
        let shard = try runProcess(binary, ["sweep", "run", dir.file("d.json"), "--out", dir.file("x.jsonl"), "--shard", "4/4"])
        #expect(shard.status == 64 && shard.err.contains("shard"))
        let jobs = try runProcess(binary, ["sweep", "run", dir.file("d.json"), "--out", dir.file("x.jsonl"), "--jobs", "0"])
        #expect(jobs.status == 64)

        // plan --count, and compare: identical files agree, different ones do not.
        #expect(try runProcess(binary, ["sweep", "plan", dir.file("d.json"), "--count"]).out == "2\n")
        let same = try runProcess(binary, ["sweep", "compare", dir.file("d.jsonl"), dir.file("d.jsonl")])
        #expect(same.status == 0)
        try #"{"name": "d2", "base": {"task": "synthetic", "features": 32, "steps": 300}, "axes": [{"path": "learning_rate", "values": [0.01]}]}"#
            .write(toFile: dir.file("d2.json"), atomically: true, encoding: .utf8)
        _ = try runProcess(binary, ["sweep", "run", dir.file("d2.json"), "--out", dir.file("d2.jsonl")])
        let different = try runProcess(binary, ["sweep", "compare", dir.file("d.jsonl"), dir.file("d2.jsonl")])
        #expect(different.status == 1 && different.out.contains("only in the first file"))
    }
}
