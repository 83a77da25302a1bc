import CrossbarKit
import Foundation
import Testing
import TestSupport

/// `crossbar configs` and `crossbar toy` through the executable (skipped with a message when
/// the binary is not built).
@Suite struct AlgorithmCLITests {
    static let binary = CrossbarExecutable.url
    typealias Result = CrossbarExecutable.Result
    static func run(_ arguments: [String]) throws -> Result { try CrossbarExecutable.run(arguments) }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crossbar-algorithm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(.enabled(if: AlgorithmCLITests.binary != nil, "the crossbar executable is not built (run `swift build` first)"))
    func configsListsEveryNameWithAlgorithmAndDevice() throws {
        let r = try Self.run(["configs"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == ConfigurationPresets.names.count + 1)
        for name in ConfigurationPresets.names {
            let s = try ConfigurationPresets.summary(name)
            let line = lines.first { $0.split(separator: " ").first.map(String.init) == name }
            #expect(line?.contains(s.algorithm.rawValue) == true, "\(name): \(line ?? "missing")")
            #expect(line?.contains(s.deviceModel.rawValue) == true, "\(name): \(line ?? "missing")")
        }
    }

    @Test(.enabled(if: AlgorithmCLITests.binary != nil, "the crossbar executable is not built (run `swift build` first)"))
    func configsShowPrintsJSONThatLoadsBackUnchanged() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["ChoppedTTv2ReRamSB", "AGADEcRam", "TikiTakaCapacitor", "MixedPrecisionPCM", "ReRamSB", "fp"] {
            let r = try Self.run(["configs", "show", name])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(try TileConfiguration.fromJSON(r.stdout) == ConfigurationPresets.configuration(name))
            // The printed file is accepted back (as --config FILE.json is) and resolves to the
            // same text.
            let file = dir.appendingPathComponent("\(name).json")
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
            let again = try Self.run(["configs", "show", file.path])
            #expect(again.status == 0, "stderr: \(again.stderr)")
            #expect(again.stdout == r.stdout)
        }
        let bad = try Self.run(["configs", "show", "ChoppedTTv2ReRamSBB"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("ChoppedTTv2ReRamSBB"))
        // A file with an invalid combination is refused naming the field.
        let file = dir.appendingPathComponent("bad.json")
        let sb = #"{"type": "soft_bounds_reference"}"#
        try #"{"device": {"type": "chopped_transfer_compound", "unit_cell_devices": [\#(sb), \#(sb)], "n_reads_per_transfer": 2}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let refused = try Self.run(["configs", "show", file.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("n_reads_per_transfer"), "stderr: \(refused.stderr)")
    }

    @Test(.enabled(if: AlgorithmCLITests.binary != nil, "the crossbar executable is not built (run `swift build` first)"))
    func toyWritesTheTraceAndTheFigure() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("agad.csv"), svg = dir.appendingPathComponent("agad.svg")
        let json = dir.appendingPathComponent("summary.json")
        // Without --summary, the trace is the only file (nothing is written beside it).
        let traceOnly = try Self.run(["toy", "--algorithm", "agad", "--updates", "50", "--trace", csv.path])
        #expect(traceOnly.status == 0, "stderr: \(traceOnly.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["agad.csv"])
        let r = try Self.run(["toy", "--algorithm", "agad", "--offset", "-0.8", "--updates", "600", "--trace", csv.path, "--plot", svg.path,
                              "--summary", json.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["agad.csv", "agad.svg", "summary.json"])
        #expect(r.stdout.contains("agad"))
        let text = try String(contentsOf: csv, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "step,a,h,weight,p,p_ref,chopper")
        #expect(lines.count == 601)
        // The experiment and its outcome, in the file --summary names.
        let summaryData = try Data(contentsOf: json)
        let summary = try JSONCoding.decode(ToySummary.self, from: summaryData)
        #expect(summary.experiment.offset == -0.8 && summary.experiment.algorithm == .agad && summary.experiment.updates == 600)
        // The library gives the same trace.
        var t = ToyExperiment()
        t.algorithm = .agad
        t.offset = -0.8
        t.updates = 600
        let library = try t.run()
        #expect(text == library.csv())
        #expect(summary == library.summary)
        let figure = try String(contentsOf: svg, encoding: .utf8)
        #expect(figure.contains("<svg"))
        #expect(figure.contains("AGAD"))
    }

    @Test(.enabled(if: AlgorithmCLITests.binary != nil, "the crossbar executable is not built (run `swift build` first)"))
    func toyRefusesBadOptionsNamingThem() throws {
        var r = try Self.run(["toy", "--algorithm", "sgd"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--algorithm") || r.stderr.contains("algorithm"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("ttv2, c-ttv2 or agad"))
        r = try Self.run(["toy", "--updates", "-5"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--updates"), "stderr: \(r.stderr)")
        r = try Self.run(["toy", "--algorithm", "tv2"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--algorithm"), "stderr: \(r.stderr)")
    }
}
