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

/// The report of the committed fixture Fixtures/report-fixture.jsonl: sweep "fixture", axes
/// algorithm ∈ {ttv2, agad} × noise ∈ {0.1, 0.2} × seed ∈ {1, 2, 3}, metrics err and loss.
/// Values (err, loss) per seed and the statistics by hand (sample std, n − 1):
///
/// | algorithm | noise | seeds 1, 2, 3 err | mean | std                            | loss        | mean | std     |
/// | ttv2      | 0.1   | 1, 2, 3           | 2    | √((1+0+1)/2) = 1               | 10, 20, 60  | 30   | √((400+100+900)/2) = √700 ≈ 26.4575 |
/// | ttv2      | 0.2   | 2, 4, 6           | 4    | √((4+0+4)/2) = 2               | 1, 1, 1     | 1    | 0       |
/// | agad      | 0.1   | 0.5, 0.5, 0.5     | 0.5  | 0                              | 5, 7, 9     | 7    | 2       |
/// | agad      | 0.2   | 1, 3, (failed)    | 2    | √((1+1)/1) = √2 ≈ 1.414214     | 2, 4        | 3    | √2      |
///
/// agad/0.1/seed 2 has two records: a failure (earlier line) and a success (later line, a retry);
/// only the latest counts, so that group has n = 3 and no failure. The point ids were computed by
/// Python's hashlib over the same canonical JSON, an independent check of ``SweepPoint/id``.
@Suite struct SweepReportTests {
    func fixture() throws -> [SweepRecord] {
        let url = try #require(Bundle.module.url(forResource: "report-fixture", withExtension: "jsonl", subdirectory: "Fixtures"))
        let (records, torn) = try SweepResultsFile.read(url.path)
        #expect(torn == 0)
        return records
    }

    @Test func idsMatchAnIndependentImplementation() throws {
        for r in try fixture() { #expect(SweepPoint.id(of: r.point) == r.id) }
    }

    @Test func groupsAndStatistics() throws {
        let report = try SweepReport(records: fixture())
        #expect(report.name == "fixture")
        #expect(report.seedAxis == "seed" && report.seriesAxis == "algorithm" && report.parameterAxes == ["noise"])
        #expect(report.metrics == ["err", "loss"] && report.metric == "err")
        #expect(report.rows.count == 4)
        let expected: [(String, Double, Int, Int, Double, Double, Double, Double)] = [
            // algorithm, noise, n, failed, err mean, err std, loss mean, loss std
            ("ttv2", 0.1, 3, 0, 2, 1, 30, 700.0.squareRoot()),
            ("ttv2", 0.2, 3, 0, 4, 2, 1, 0),
            ("agad", 0.1, 3, 0, 0.5, 0, 7, 2),
            ("agad", 0.2, 2, 1, 2, 2.0.squareRoot(), 3, 2.0.squareRoot()),
        ]
        for (row, e) in zip(report.rows, expected) {
            #expect(row.value(of: "algorithm") == .string(e.0) && row.value(of: "noise") == .number(e.1))
            #expect(row.okCount == e.2 && row.failedCount == e.3)
            #expect(abs(row.mean["err"]! - e.4) < 1e-12 && abs(row.std["err"]! - e.5) < 1e-12)
            #expect(abs(row.mean["loss"]! - e.6) < 1e-12 && abs(row.std["loss"]! - e.7) < 1e-12)
        }
        #expect(report.failedRecords.count == 1 && report.failedRecords[0].error?.contains("diverged") == true)
    }

    @Test func markdownAndCSVTables() throws {
        let report = try SweepReport(records: fixture())
        let md = report.markdownTable.split(separator: "\n").map(String.init)
        #expect(md[0] == "| noise | algorithm | n | failed | err (mean ± std) | loss (mean ± std) |")
        #expect(md[2] == "| 0.1 | ttv2 | 3 | 0 | 2 ± 1 | 30 ± 26.46 |")
        #expect(md[5] == "| 0.2 | agad | 2 | 1 | 2 ± 1.414 | 3 ± 1.414 |")

        let csv = report.csvTable.components(separatedBy: "\r\n")
        #expect(csv[0] == "noise,algorithm,n,failed,diverged,err_mean,err_std,loss_mean,loss_std")
        let cells = csv[4].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(cells[0] == "0.2" && cells[1] == "agad" && cells[2] == "2" && cells[3] == "1" && cells[4] == "0")
        #expect(Double(cells[5]) == 2 && abs(Double(cells[6])! - 2.0.squareRoot()) < 1e-15)
        #expect(csv.count == 6 && csv[5] == "")
    }

    @Test func singleSeedStdIsUndefinedAndShownAsSuch() throws {
        let one = try fixture().filter { $0.seed == 1 }
        let report = try SweepReport(records: one)
        #expect(report.rows.allSatisfy { $0.okCount == 1 && $0.std["err"]!.isNaN })
        #expect(report.markdownTable.contains("| 0.1 | ttv2 | 1 | 1 | 10 |"))
        #expect(report.csvTable.contains("0.1,ttv2,1,0,0,1,,10,"))
    }

    @Test func metricSelection() throws {
        let records = try fixture()
        #expect(try SweepReport(records: records, metric: "loss").metric == "loss")
        let unknown = errorText { _ = try SweepReport(records: records, metric: "accuracy") }
        #expect(unknown?.contains("unknown metric 'accuracy'") == true)
        #expect(errorText { _ = try SweepReport(records: []) }?.contains("no results") == true)
    }

    /// Records of two sweeps with the same axes (here: the fixture renamed) are never averaged
    /// together: refused with both names and counts, or reported one at a time with `sweep:`.
    @Test func resultsOfTwoSweepsAreRefusedOrSelectedByName() throws {
        let records = try fixture()
        let renamed = records.prefix(5).map { r -> SweepRecord in
            var r = r
            if case var .object(o) = r.sweep { o["name"] = .string("other"); r.sweep = .object(o) }
            r.id = "other-" + r.id // another sweep's points have other ids
            return r
        }
        let mixed = records + renamed
        let message = errorText { _ = try SweepReport(records: mixed) } ?? ""
        #expect(message.contains("mix 2 sweeps") && message.contains("'fixture' (") && message.contains("'other' (5 points)"), "\(message)")
        #expect(message.contains("--sweep"), "\(message)")
        let one = try SweepReport(records: mixed, sweep: "fixture")
        #expect(one.markdownTable == (try SweepReport(records: records)).markdownTable)
        #expect(try SweepReport(records: mixed, sweep: "other").records.count == 5)
        #expect(errorText { _ = try SweepReport(records: mixed, sweep: "nope") }?.contains("unknown sweep 'nope'") == true)
        var otherTask = records[0]
        otherTask.task = "program"
        otherTask.id = "0000000000000000"
        let tasks = errorText { _ = try SweepReport(records: records + [otherTask]) } ?? ""
        #expect(tasks.contains("mix tasks") && tasks.contains("'program'"), "\(tasks)")
    }

    @Test func linePlotHasOneSeriesPerAlgorithmWithStdBands() throws {
        let report = try SweepReport(records: fixture())
        let figures = report.lineFigures()
        #expect(figures.count == 1 && figures[0].file == "err-vs-noise.svg")
        let series = figures[0].figure.panels[0].series
        #expect(series.map(\.name) == ["ttv2", "agad"])
        #expect(series[0].x == [0.1, 0.2] && series[0].y == [2, 4] && series[0].std == [1, 2])
        #expect(series[1].y == [0.5, 2])
        #expect(report.heatMapFigure() == nil) // one parameter axis: no heat map
    }

    /// Two parameter axes (reference offset × number of states) → a Fig.-4 heat map with one
    /// panel per algorithm; a missing cell is NaN.
    @Test func twoParameterSweepGetsAHeatMap() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let s = try spec("""
            {"name": "fig4", "base": {"task": "probe", "seed": 0, "fail_when": 3},
             "axes": [{"path": "task", "values": ["probe"]},
                      {"path": "x", "values": [1, 2, 3]},
                      {"path": "seed", "values": [10, 20]}],
             "report": {"series": "task"}}
            """)
        _ = try SweepRunner(spec: s, registry: SweepTaskRegistry([ProbeTask()])).run(resultsPath: dir.file("r.jsonl"))
        // Parameters: x only (task is the series) → no heat map; force one over x × seed.
        var settings = SweepReportSettings()
        settings.series = "task"
        settings.seedAxis = "none"
        settings.heatmap = ["x", "seed"]
        let report = try SweepReport(records: SweepResultsFile.read(dir.file("r.jsonl")).records, settings: settings)
        let (file, heat) = try #require(report.heatMapFigure())
        #expect(file == "y-heatmap.svg")
        #expect(heat.maps.count == 1 && heat.maps[0].title == "probe")
        #expect(heat.maps[0].rowLabels == ["1", "2", "3"] && heat.maps[0].columnLabels == ["10", "20"])
        // y = x² + seed; x = 3 failed → missing.
        #expect(heat.maps[0].values[0] == [11, 21] && heat.maps[0].values[1] == [14, 24])
        #expect(heat.maps[0].values[2].allSatisfy { $0.isNaN })

        let written = try report.write(to: dir.file("report"))
        #expect(Set(written.map { ($0 as NSString).lastPathComponent }) == ["y-vs-x.svg", "y-vs-seed.svg", "y-heatmap.svg", "report.csv", "report.md"])
        let md = try String(contentsOfFile: dir.file("report/report.md"), encoding: .utf8)
        #expect(md.contains("## Failed points") && md.contains("probe failure"))
        #expect(md.contains("![y-heatmap.svg](y-heatmap.svg)"))
    }

    @Test func reportCommandWritesFilesAndPrintsTheTable() throws {
        let binary = try #require(crossbarBinary(), "the crossbar executable was not built next to the tests")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let url = try #require(Bundle.module.url(forResource: "report-fixture", withExtension: "jsonl", subdirectory: "Fixtures"))
        let r = try runProcess(binary, ["sweep", "report", url.path, "--out", dir.file("rep"), "--metric", "loss"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("| 0.1 | ttv2 | 3 | 0 | 2 ± 1 | 30 ± 26.46 |"))
        for f in ["report.md", "report.csv", "loss-vs-noise.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir.file("rep/" + f)), "missing \(f)")
        }
        let bad = try runProcess(binary, ["sweep", "report", url.path, "--out", dir.file("rep"), "--metric", "acc"])
        #expect(bad.status == 1 && bad.err.contains("unknown metric 'acc'"))
    }
}
