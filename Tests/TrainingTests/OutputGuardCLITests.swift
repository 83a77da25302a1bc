import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// No output ever overwrites an input, through the executable: every command that writes files
/// refuses, before any work, an output that is one of its inputs, lies inside an input folder
/// or is another of its outputs, and an output location that cannot be written — with a
/// message naming the flags and a non-zero exit status, every file left byte for byte as it
/// was and nothing created. The legitimate in-place cases (resuming a checkpoint into the same
/// file, appending to a metrics file, resuming a sweep's results file) keep working.
@Suite(.serialized, .enabled(if: crossbarExecutable() != nil, "the crossbar executable is not built (swift build builds it)"))
struct OutputGuardCLITests {
    let binary = crossbarExecutable() ?? ""

    /// A folder holding one input of every kind the commands read.
    struct Fixture {
        let dir: TemporaryFolder
        var data: String { dir.file("data") }
        var config: String { dir.file("c.json") }
        var device: String { dir.file("d.json") }
        var trace: String { dir.file("t.csv") }
        var toy: String { dir.file("toy.json") }
        var spec: String { dir.file("spec.json") }
        var trainSpec: String { dir.file("train-spec.json") }
        var results1: String { dir.file("r1.jsonl") }
        var results2: String { dir.file("r2.jsonl") }
        var checkpoint: String { dir.file("ck.ckpt") }
        var full: String { dir.file("full") }

        init() throws {
            dir = try TemporaryFolder()
            let fm = FileManager.default
            for folder in ["data", "full", "a", "rep"] {
                try fm.createDirectory(atPath: dir.file(folder), withIntermediateDirectories: true)
            }
            try writeSyntheticMNIST(to: dir.file("data"), train: 50, test: 20)
            func write(_ text: String, _ name: String) throws {
                try Data(text.utf8).write(to: URL(fileURLWithPath: dir.file(name)))
            }
            try write(try ConfigurationPresets.configuration("fp").toJSON(), "c.json")
            try write(try DevicePresets.device("ReRamSB").toJSON(), "d.json")
            try write("pulse,direction,conductance\n0,none,0.0\n1,up,0.1\n2,up,0.19\n3,down,0.1\n4,down,0.0\n", "t.csv")
            try write(ToyExperiment().toJSON(), "toy.json")
            try write(#"{"name": "s", "base": {"task": "synthetic", "steps": 50}, "axes": [{"path": "seed", "values": [1, 2]}]}"#, "spec.json")
            try write("""
                {"name": "t", "base": {"task": "train", "data": "\(dir.file("data"))", "epochs": 1, "train_samples": 10, "test_samples": 10},
                 "axes": [{"path": "seed", "values": [1]}]}
                """, "train-spec.json")
            try write("{\"id\": \"first\"}\n", "r1.jsonl")
            try write("{\"id\": \"second\"}\n", "r2.jsonl")
            try write("a results file that happens to be named like a report table\n", "rep/report.csv")
            try write("{\"id\": \"full\"}\n", "full/fc-presets.jsonl")
            try write("not a folder\n", "notadir")
            try Data([0x43, 0x4b, 0x50, 0x54, 1, 2, 3]).write(to: URL(fileURLWithPath: dir.file("ck.ckpt")))
            try fm.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: dir.file("c.json"))
        }

        /// Every file under the folder with its bytes (folders and links by their kind), to
        /// show that a refused run changed and created nothing.
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for sub in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
                let path = dir.file(sub)
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                    out[sub] = Data(("link → " + target).utf8)
                    continue
                }
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                out[sub] = isDirectory.boolValue ? Data("folder".utf8) : try Data(contentsOf: URL(fileURLWithPath: path))
            }
            return out
        }
    }

    /// One refused invocation: its arguments and a fragment of the message on stderr.
    struct Row: CustomStringConvertible {
        var arguments: [String]
        var fragment: String
        var description: String { arguments.joined(separator: " ") }
    }

    /// Every case of an output that would destroy an input, of two outputs that are one file,
    /// and of an output location that cannot be written.
    func rows(_ f: Fixture) -> [Row] {
        let train = ["train", "--config", f.config, "--data", f.data, "--epochs", "1", "--quiet"]
        let response = ["response", "--device", f.device, "--pulses", "10", "--devices", "10"]
        let fit = ["fit", "--data", f.trace, "--model", "soft_bounds"]
        let toy = ["toy", "--task", f.toy, "--updates", "50"]
        let labels = f.data + "/t10k-labels-idx1-ubyte.gz"
        let new = f.dir.file("new.out"), missing = f.dir.file("missing/x.out"), folder = f.dir.file("a")
        let viaLink = f.dir.file("a/../link.json")
        var rows: [Row] = [
            // An output that is an input file (also through `..` and a symbolic link).
            Row(arguments: train + ["--metrics", f.config], fragment: "--metrics \(f.config) is the same file as the input --config \(f.config)"),
            Row(arguments: train + ["--checkpoint", f.config], fragment: "--checkpoint \(f.config) is the same file as the input --config"),
            Row(arguments: train + ["--checkpoint", viaLink], fragment: "--checkpoint \(viaLink) is the same file as the input --config"),
            Row(arguments: train + ["--resume", f.checkpoint, "--metrics", f.checkpoint],
                fragment: "--metrics \(f.checkpoint) is the same file as the input --resume"),
            Row(arguments: response + ["--out", f.device], fragment: "--out \(f.device) is the same file as the input --device"),
            Row(arguments: response + ["--plot", f.device], fragment: "--plot \(f.device) is the same file as the input --device"),
            Row(arguments: fit + ["--out", f.trace], fragment: "--out \(f.trace) is the same file as the input --data"),
            Row(arguments: fit + ["--plot", f.trace], fragment: "--plot \(f.trace) is the same file as the input --data"),
            Row(arguments: toy + ["--trace", f.toy], fragment: "--trace \(f.toy) is the same file as the input --task"),
            Row(arguments: toy + ["--summary", f.toy], fragment: "--summary \(f.toy) is the same file as the input --task"),
            Row(arguments: ["sweep", "merge", f.results1, f.results2, "--out", f.results2],
                fragment: "--out \(f.results2) is the same file as the input <inputs> \(f.results2)"),
            Row(arguments: ["sweep", "run", f.spec, "--out", f.spec], fragment: "--out \(f.spec) is the same file as the input <spec>"),
            Row(arguments: ["sweep", "report", f.results1, "--out", f.results1],
                fragment: "--out \(f.results1) is the same file as the input <results>"),
            Row(arguments: ["sweep", "report", f.results1, "--spec", f.spec, "--out", f.spec],
                fragment: "--out \(f.spec) is the same file as the input --spec"),
            Row(arguments: ["sweep", "report", f.dir.file("rep/report.csv"), "--out", f.dir.file("rep")],
                fragment: "--out \(f.dir.file("rep")) would write over the input <results>"),
            // An output inside (or equal to) an input folder.
            Row(arguments: train + ["--metrics", labels], fragment: "--metrics \(labels) lies inside the input folder --data \(f.data)"),
            Row(arguments: train + ["--checkpoint", f.data + "/c.ckpt"], fragment: "lies inside the input folder --data"),
            Row(arguments: train + ["--checkpoint", f.data], fragment: "--checkpoint \(f.data) is the input folder --data"),
            Row(arguments: ["sweep", "run", f.trainSpec, "--out", f.data + "/r.jsonl"],
                fragment: "lies inside the input folder 'data' of point #0 \(f.data)"),
            Row(arguments: ["standard-comparison", "--data", f.data, "--out", f.data], fragment: "--out \(f.data) is the input folder --data"),
            Row(arguments: ["standard-comparison", "--data", f.data, "--out", f.data + "/results"], fragment: "lies inside the input folder --data"),
            Row(arguments: ["offset-comparison", "--full-results", f.full, "--out", f.full],
                fragment: "--out \(f.full) is the input folder --full-results"),
            Row(arguments: ["offset-comparison", "--data", f.data, "--out", f.data + "/x"], fragment: "lies inside the input folder --data"),
            // Two outputs that are one file.
            Row(arguments: train + ["--metrics", new, "--checkpoint", new], fragment: "--checkpoint \(new) is the same file as the output --metrics \(new)"),
            Row(arguments: response + ["--out", new, "--plot", new], fragment: "--plot \(new) is the same file as the output --out"),
            Row(arguments: fit + ["--out", new, "--plot", new], fragment: "--plot \(new) is the same file as the output --out"),
            Row(arguments: toy + ["--trace", new, "--summary", new], fragment: "--summary \(new) is the same file as the output --trace"),
            Row(arguments: toy + ["--trace", new, "--plot", new], fragment: "--plot \(new) is the same file as the output --trace"),
            // Output locations that cannot be written, refused before any work.
            Row(arguments: train + ["--checkpoint", folder], fragment: "--checkpoint cannot be written: is a directory, not a file"),
            Row(arguments: train + ["--checkpoint", missing], fragment: "the folder of --checkpoint does not exist"),
            Row(arguments: train + ["--metrics", missing], fragment: "the folder of --metrics does not exist"),
            Row(arguments: train + ["--metrics", folder], fragment: "--metrics cannot be written: is a directory, not a file"),
            Row(arguments: response + ["--out", missing], fragment: "the folder of --out does not exist"),
            Row(arguments: fit + ["--plot", folder], fragment: "--plot cannot be written: is a directory, not a file"),
            Row(arguments: toy + ["--summary", missing], fragment: "the folder of --summary does not exist"),
            Row(arguments: ["sweep", "run", f.spec, "--out", folder], fragment: "--out cannot be written: is a directory, not a file"),
            Row(arguments: ["sweep", "merge", f.results1, "--out", missing], fragment: "the folder of --out does not exist"),
            Row(arguments: ["sweep", "report", f.results1, "--out", f.dir.file("notadir")], fragment: "--out cannot be written: is a file, not a folder"),
            Row(arguments: ["offset-comparison", "--data", "synthetic", "--out", f.dir.file("notadir/x")], fragment: "is a file, not a folder"),
        ]
        // A place that accepts no new files, even for root.
        if FileManager.default.fileExists(atPath: "/proc/self") {
            rows += [
                Row(arguments: train + ["--checkpoint", "/proc/c.ckpt"], fragment: "--checkpoint cannot be written: cannot create files in '/proc'"),
                Row(arguments: ["standard-comparison", "--data", "synthetic", "--out", "/proc/results"],
                    fragment: "--out cannot be written: cannot create files in '/proc'"),
            ]
        }
        return rows
    }

    @Test func outputsThatWouldDestroyAnInputAreRefused() throws {
        let f = try Fixture()
        defer { f.dir.cleanup() }
        let before = try f.snapshot()
        for row in rows(f) {
            let r = try runCrossbar(binary, row.arguments)
            #expect(r.status != 0, "\(row)")
            #expect(r.err.contains("error: ") && r.err.contains(row.fragment), "\(row)\n\(r.err)")
            #expect(!r.out.contains("train loss"), "\(row): nothing was run")
            let after = try f.snapshot()
            #expect(after == before, "\(row): changed \(Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted())")
        }
    }

    /// The legitimate in-place cases: `train --resume X --checkpoint X` continues the run and
    /// keeps checkpointing X; an existing metrics file is appended to, its lines kept; `sweep
    /// run --out R` resumes the results file R.
    @Test func inPlaceOutputsStillWork() throws {
        let f = try Fixture()
        defer { f.dir.cleanup() }
        let checkpoint = f.dir.file("run.ckpt"), metrics = f.dir.file("m.jsonl")
        let notes = "# notes kept by the user\n"
        try Data(notes.utf8).write(to: URL(fileURLWithPath: metrics))
        let base = ["train", "--config", "fp", "--data", f.data, "--quiet", "--seed", "3", "--metrics", metrics, "--checkpoint", checkpoint]
        let first = try runCrossbar(binary, base + ["--epochs", "1"])
        #expect(first.status == 0, "\(first.err)")
        let resumed = try runCrossbar(binary, base + ["--epochs", "2", "--resume", checkpoint])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.err.contains("resumed from \(checkpoint): 1 of 2 epochs done"), "\(resumed.err)")
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.hasPrefix(notes))
        #expect(try MetricsLog(path: metrics).records().map(\.epoch) == [1, 2])
        let archive = try StateArchive(decoding: try #require(FileManager.default.contents(atPath: checkpoint)))
        #expect(try archive.words("trainer.state")[0] == 2)

        let results = f.dir.file("r.jsonl")
        let run = try runCrossbar(binary, ["sweep", "run", f.spec, "--out", results, "--quiet"])
        #expect(run.status == 0, "\(run.err)")
        let written = try #require(FileManager.default.contents(atPath: results))
        let again = try runCrossbar(binary, ["sweep", "run", f.spec, "--out", results, "--quiet"])
        #expect(again.status == 0, "\(again.err)")
        #expect(again.err.contains("2 already done, 0 run now"), "\(again.err)")
        #expect(FileManager.default.contents(atPath: results) == written)
        #expect(try SweepResultsFile.read(results).records.count == 2)
    }
}
