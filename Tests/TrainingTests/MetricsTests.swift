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

/// The per-epoch metrics records, the metrics file and the report tables.
@Suite struct MetricsTests {
    static let documentedKeys = ["configuration", "configuration_name", "epoch", "epochs", "evaluation_seconds", "learning_rate",
                                 "model", "pulses_per_sample", "run", "samples", "samples_per_second", "seconds", "seeds",
                                 "test_accuracy", "test_loss", "threads", "train_accuracy", "train_loss", "version"]

    /// A record's JSON line holds exactly the documented fields (docs/training.md), the full
    /// resolved configuration (it decodes to the configuration trained with), the seeds, and the
    /// pulses per sample of every array of every layer.
    @Test func recordHoldsEveryDocumentedField() throws {
        let config = try preset("TTv2ReRamSB")
        let s = try clusterSession(config, seed: 3, epochs: 1)
        let r = try #require(try s.trainEpoch())
        let v = try JSONValue.parse(r.jsonLine)
        #expect(v.sortedKeys == Self.documentedKeys)
        #expect(v["epoch"]?.intValue == 1 && v["epochs"]?.intValue == 1 && v["samples"]?.intValue == 800)
        #expect(v["seeds"]?["master"]?.intValue == 3)
        #expect(v["run"]?.stringValue == s.identity.fingerprint && s.identity.fingerprint.count == 64)
        #expect(v["version"]?.stringValue == CrossbarKit.version)
        let decoded = try v["configuration"]!.decode(TileConfiguration.self, what: "configuration")
        #expect(decoded == config)
        #expect(v["pulses_per_sample"]?.sortedKeys == ["layer0", "layer2"])
        #expect(v["pulses_per_sample"]?["layer0"]?.sortedKeys == ["A", "C"])
        // Pulses per sample are the counters' growth over the epoch divided by its samples.
        let total = s.network.analogTiles[0].core.pulseCounters.first { $0.name == "A" }!.counters.total
        #expect(r.pulsesPerSample["layer0"]!["A"]! == Double(total) / 800)
        #expect(try JSONCoding.decode(EpochRecord.self, from: Data(r.jsonLine.utf8)) == r)
    }

    /// Appending keeps earlier lines; on resume, lines of the same run after the checkpoint's
    /// epoch and a torn last line are removed, everything else stays byte for byte.
    @Test func metricsFileDiscardsOnlyTheLostPartOfTheRun() throws {
        let dir = try TemporaryFolder()
        defer { dir.cleanup() }
        let s = try clusterSession(.floatingPoint, seed: 1, epochs: 3)
        let other = try clusterSession(.floatingPoint, seed: 2, epochs: 1)
        let log = MetricsLog(path: dir.file("m.jsonl"))
        try log.checkWritable()
        try "# notes kept by the user\n".write(toFile: log.path, atomically: true, encoding: .utf8)
        let otherRecord = try #require(try other.trainEpoch())
        try log.append(otherRecord)
        for r in try s.run() { try log.append(r) }
        let handle = try #require(FileHandle(forWritingAtPath: log.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"epoch\": 4, \"run\": \"tor".utf8))
        try handle.close()

        #expect(try log.discardLines(ofRun: s.identity.fingerprint, after: 1) == 3)
        let lines = try String(contentsOfFile: log.path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[0] == "# notes kept by the user" && lines[3] == "")
        let records = try log.records()
        #expect(records.map(\.epoch) == [1, 1] && records[0] == otherRecord && records[1] == s.history[0])
        #expect(try log.discardLines(ofRun: s.identity.fingerprint, after: 1) == 0)
        // A folder that does not exist is reported before any training.
        #expect(errorMessage { try MetricsLog(path: dir.file("no/such/m.jsonl")).checkWritable() }.contains("no/such/m.jsonl"))
    }

    /// The tables name each algorithm and sum pulses over layers: A (gradient array) and W
    /// (C of the transfer compounds, W of SGD; none for fp).
    @Test func reportTables() throws {
        var records: [EpochRecord] = []
        for name in ["fp", "ReRamSB", "TTv2ReRamSB", "ChoppedTTv2ReRamSB", "AGADReRamSB"] {
            let s = try clusterSession(try ConfigurationPresets.configuration(name), seed: 1, epochs: 1,
                                       data: (try clusterTask.train.prefix(100), try clusterTask.test.prefix(50)))
            records.append(try #require(try s.trainEpoch()))
            let p = TrainingReport.pulses(records.last!)
            switch name {
            case "fp": #expect(p.gradient == nil && p.weight == nil)
            case "ReRamSB": #expect(p.gradient == nil && p.weight! == records.last!.pulsesPerSample.values.map { $0["W"]! }.reduce(0, +))
            default: #expect(p.gradient! == records.last!.pulsesPerSample.values.map { $0["A"]! }.reduce(0, +))
            }
        }
        let table = TrainingReport.comparisonTable(records)
        let rows = table.split(separator: "\n")
        #expect(rows.count == 2 + 5)
        for (i, algorithm) in ["fp", "sgd", "ttv2", "c-ttv2", "agad"].enumerated() {
            let cells = rows[2 + i].split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells[1] == Substring(algorithm) && cells[4] == Substring("\(records[i].threads)"), "\(rows[2 + i])")
        }
        // The same run with another thread count is another row.
        var twoThreads = records[0]
        twoThreads.threads = 7
        #expect(TrainingReport.comparisonTable(records + [twoThreads]).split(separator: "\n").count == 2 + 6)
        #expect(TrainingReport.epochTable(records).split(separator: "\n").count == 7)
    }
}
