import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarTraining

/// Bad input of every kind a user can hand the executable — configuration and device files,
/// flags, data folders, sweep files, results and metrics files, checkpoints — in one table. Each
/// row asserts a non-zero exit status without a crash, an error on stderr that names the field or
/// file, the value and the allowed range or form, and that no file of the fixture changed and
/// none was created (every file's bytes compared before and after). Output paths that would
/// destroy an input are the table of ``OutputGuardCLITests``.
@Suite(.serialized, .enabled(if: crossbarExecutable() != nil, "the crossbar executable is not built (swift build builds it)"))
struct BadInputCLITests {
    let binary = crossbarExecutable() ?? ""

    /// One refused invocation and the fragments its message must contain (field or file, value,
    /// allowed range or form).
    struct Row: CustomStringConvertible {
        var arguments: [String]
        var fragments: [String]
        init(_ arguments: [String], _ fragments: String...) {
            self.arguments = arguments
            self.fragments = fragments
        }
        var description: String { arguments.joined(separator: " ") }
    }

    /// A folder of inputs: a good data set, bad data sets, bad documents and checkpoints.
    struct Fixture {
        let dir: TemporaryFolder
        func file(_ name: String) -> String { dir.file(name) }

        init(binary: String) throws {
            dir = try TemporaryFolder()
            let fm = FileManager.default
            try fm.createDirectory(atPath: dir.file("data"), withIntermediateDirectories: true)
            try writeSyntheticMNIST(to: dir.file("data"), train: 50, test: 20)
            for (name, text) in Self.documents { try Data(text.utf8).write(to: URL(fileURLWithPath: dir.file(name))) }

            // Data folders with one defect each (uncompressed IDX files).
            func dataset(_ name: String, train: [Int], test: [Int], trainLabels: [UInt8]? = nil, testLabels: [UInt8]? = nil) throws {
                let folder = dir.file(name)
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (prefix, dims, labels) in [("train", train, trainLabels), ("t10k", test, testLabels)] {
                    let count = dims.reduce(1, *)
                    try IDX.write(IDXArray(dimensions: dims, bytes: (0..<count).map { UInt8($0 % 251) }),
                                  to: "\(folder)/\(prefix)-images-idx3-ubyte", compressed: false)
                    let l = labels ?? (0..<dims[0]).map { UInt8($0 % 10) }
                    try IDX.write(IDXArray(dimensions: [l.count], bytes: l), to: "\(folder)/\(prefix)-labels-idx1-ubyte", compressed: false)
                }
            }
            var labels = (0..<50).map { UInt8($0 % 10) }
            labels[7] = 200
            try dataset("data-label", train: [50, 8, 8], test: [20, 8, 8], trainLabels: labels)
            try dataset("data-shape", train: [50, 8, 8], test: [20, 4, 16])
            try dataset("data-count", train: [50, 8, 8], test: [20, 8, 8], trainLabels: (0..<49).map { UInt8($0 % 10) })
            try dataset("data-magic", train: [50, 8, 8], test: [20, 8, 8])
            try Data("this is not an IDX file at all".utf8).write(to: URL(fileURLWithPath: dir.file("data-magic/train-images-idx3-ubyte")))
            // A header that claims 4 000 000 images in front of 50 (the count is bytes 4–7, big-endian).
            try dataset("data-header", train: [50, 8, 8], test: [20, 8, 8])
            let headerFile = URL(fileURLWithPath: dir.file("data-header/train-images-idx3-ubyte"))
            var header = try Data(contentsOf: headerFile)
            header.replaceSubrange(4..<8, with: [0x00, 0x3d, 0x09, 0x00])
            try header.write(to: headerFile)

            // Results: two sweeps written by the executable, and files built from them.
            for s in ["sweep-a", "sweep-c"] {
                let r = try runCrossbar(binary, ["sweep", "run", dir.file("\(s).json"), "--out", dir.file("\(s).jsonl"), "--quiet"])
                guard r.status == 0 else { throw CrossbarError.message("fixture sweep \(s) failed: \(r.err)") }
            }
            let a = try String(contentsOfFile: dir.file("sweep-a.jsonl"), encoding: .utf8)
            let c = try String(contentsOfFile: dir.file("sweep-c.jsonl"), encoding: .utf8)
            try Data((a + c).utf8).write(to: URL(fileURLWithPath: dir.file("mixed.jsonl")))
            let aLines = a.split(separator: "\n")
            try Data((aLines[0] + "\ngarbage line\n" + aLines[1] + "\n").utf8).write(to: URL(fileURLWithPath: dir.file("torn-middle.jsonl")))

            // A checkpoint of a real run, and damaged copies.
            let run = try runCrossbar(binary, Self.train(dir.file("data")) + ["--checkpoint", dir.file("good.ckpt")])
            guard run.status == 0 else { throw CrossbarError.message("fixture run failed: \(run.err)") }
            let good = try Data(contentsOf: URL(fileURLWithPath: dir.file("good.ckpt")))
            try good.prefix(5000).write(to: URL(fileURLWithPath: dir.file("truncated.ckpt")))
            var flipped = good
            flipped[flipped.count / 2] ^= 0xff
            try flipped.write(to: URL(fileURLWithPath: dir.file("flipped.ckpt")))
            var g = Xoshiro256(seed: 4)
            try Data((0..<100).map { _ in UInt8(truncatingIfNeeded: g.next()) }).write(to: URL(fileURLWithPath: dir.file("random.ckpt")))
        }

        /// A short fp run on `data` (1 epoch, 50 + 20 samples).
        static func train(_ data: String) -> [String] {
            ["train", "--config", "fp", "--data", data, "--epochs", "1", "--quiet", "--train-samples", "50", "--test-samples", "20"]
        }

        /// Every document of the fixture by file name.
        static let documents: [(String, String)] = [
            // Configurations.
            ("up-down.json", #"{"device": {"type": "soft_bounds", "up_down": 50}}"#),
            ("up-down-neg.json", #"{"device": {"type": "soft_bounds", "up_down": -50}}"#),
            ("dw-min-std.json", #"{"device": {"type": "soft_bounds", "dw_min_std": 1e30}}"#),
            ("reference-std.json", #"{"device": {"type": "soft_bounds_reference", "reference_std": 1e9}}"#),
            ("reference-mean.json", #"{"device": {"type": "soft_bounds_reference", "reference_mean": 1e30}}"#),
            ("reset.json", #"{"device": {"type": "soft_bounds", "reset": 1e30}}"#),
            ("w-max.json", #"{"device": {"type": "soft_bounds", "w_max": 1e30}}"#),
            ("dw-min-tiny.json", #"{"device": {"type": "soft_bounds", "dw_min": 1e-30}}"#),
            ("duplicate.json", #"{"device": {"type": "soft_bounds", "dw_min": 0.002, "dw_min": -5}}"#),
            ("float-range.json", #"{"device": {"type": "soft_bounds", "dw_min": 1e39}}"#),
            ("underflow.json", #"{"device": {"type": "soft_bounds", "dw_min": 1e-50}}"#),
            ("desired-bl.json", #"{"update": {"desired_bl": 3.5}}"#),
            ("seed-negative.json", #"{"device": {"type": "soft_bounds", "construction_seed": -5}}"#),
            ("null.json", "null"),
            ("array.json", "[]"),
            ("string.json", #""fp""#),
            ("device-array.json", #"{"device": [1, 2]}"#),
            ("type-number.json", #"{"device": {"type": 3}}"#),
            ("unknown-key.json", #"{"device": {"type": "soft_bounds", "dw_mn": 0.1}}"#),
            ("unknown-type.json", #"{"device": {"type": "soft_bound"}}"#),
            ("out-noise.json", #"{"forward": {"out_noise": -1}}"#),
            ("inp-res-type.json", #"{"forward": {"inp_res": "x"}}"#),
            ("truncated.json", #"{"device": {"type": "soft_bounds""#),
            ("omega.json", #"{"mapping": {"weight_scaling_omega": -1}}"#),
            ("w-bounds.json", #"{"device": {"type": "soft_bounds", "w_max": 0.1, "w_min": -0.1, "dw_min": 0.5}}"#),
            // Device files.
            ("device-dw-min.json", #"{"type": "soft_bounds", "dw_min": -0.1}"#),
            ("device-pow-gamma.json", #"{"type": "pow_step", "pow_gamma": 0}"#),
            ("device-piecewise.json", #"{"type": "piecewise_step", "piecewise_up": [1, 2], "piecewise_down": [1]}"#),
            // Toy tasks and a pulse trace.
            ("toy-updates.json", #"{"updates": -5}"#),
            ("toy-key.json", #"{"updatez": 5}"#),
            ("toy-algorithm.json", #"{"algorithm": "ttv9"}"#),
            ("direction.csv", "pulse,direction,conductance\n0,sideways,0.1\n"),
            ("conductance.csv", "pulse,direction,conductance\n0,up,abc\n"),
            // Sweep files.
            ("sweep-a.json", #"{"name": "a", "base": {"task": "synthetic", "steps": 50}, "axes": [{"path": "seed", "values": [1, 2]}]}"#),
            ("sweep-c.json", #"{"name": "c", "base": {"task": "synthetic", "steps": 50}, "axes": [{"path": "seed", "values": [3]}]}"#),
            ("s-empty-axis.json", #"{"name": "s", "base": {"task": "synthetic", "steps": 50}, "axes": [{"path": "seed", "values": []}]}"#),
            ("s-extra.json", #"{"name": "s", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1]}], "extra": 1}"#),
            ("s-duplicate.json", #"{"name": "s", "name": "t", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1]}]}"#),
            ("s-value-type.json", #"{"name": "s", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1]}, {"path": "steps", "values": [{"a": 1}]}]}"#),
            ("s-task.json", #"{"name": "s", "base": {"task": "nosuchtask"}, "axes": [{"path": "seed", "values": [1]}]}"#),
            ("s-not-json.json", "name: s"),
            ("s-null.json", "null"),
            ("s-steps.json", #"{"name": "s", "base": {"task": "synthetic", "steps": -50}, "axes": [{"path": "seed", "values": [1]}]}"#),
            ("s-axis-twice.json", #"{"name": "s", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1]}, {"path": "seed", "values": [2]}]}"#),
            ("s-device.json", #"{"name": "s", "base": {"task": "train", "data": "synthetic", "epochs": 1, "device": {"dw_min_std": 1e30}}, "axes": [{"path": "seed", "values": [1]}]}"#),
            ("s-steps-range.json", #"{"name": "s", "base": {"task": "synthetic", "steps": 1e39}, "axes": [{"path": "seed", "values": [1]}]}"#),
            ("s-key-typo.json", #"{"name": "s", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1]}], "repeat": 3}"#),
            ("s-mode.json", #"{"name": "s", "base": {"task": "synthetic"}, "axes": [{"path": "seed", "values": [1]}], "mode": "diagonal"}"#),
            // Results and metrics files.
            ("empty.jsonl", ""),
            ("bad-id.jsonl", "{\"id\": 5}\n"),
            ("metrics-none.jsonl", "{\"not\": \"an epoch record\"}\n"),
        ]

        /// Every file under the folder with its bytes (folders by their kind).
        func snapshot() throws -> [String: Data] {
            var out: [String: Data] = [:]
            for sub in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
                let path = dir.file(sub)
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                out[sub] = isDirectory.boolValue ? Data("folder".utf8) : try Data(contentsOf: URL(fileURLWithPath: path))
            }
            return out
        }
    }

    func rows(_ f: Fixture) -> [Row] {
        let data = f.file("data")
        let train = Fixture.train(data)
        func show(_ name: String) -> [String] { ["configs", "show", f.file(name)] }
        func sweep(_ name: String) -> [String] { ["sweep", "run", f.file(name), "--out", f.file("out.jsonl"), "--quiet"] }
        func report(_ name: String, _ extra: [String] = []) -> [String] { ["sweep", "report", f.file(name), "--out", f.file("report")] + extra }
        let floatRange = "|x| ≤ 3.4028235e38"
        var rows: [Row] = [
            // Configuration documents (crossbar configs show FILE resolves a file exactly as --config does).
            Row(show("up-down.json"), f.file("up-down.json"), "'device.up_down': 50", "[-1, 1]"),
            Row(show("up-down-neg.json"), "'device.up_down': -50", "[-1, 1]"),
            Row(show("dw-min-std.json"), "'device.dw_min_std': 1e+30", "[0, 100]"),
            Row(show("reference-std.json"), "'device.reference_std': 1e+09", "[0, 100] (weight units)"),
            Row(show("reference-mean.json"), "'device.reference_mean': 1e+30", "[-100, 100]"),
            Row(show("reset.json"), "'device.reset': 1e+30", "[-100, 100]"),
            Row(show("w-max.json"), "'device.w_max': 1e+30", "[0, 100]"),
            Row(show("dw-min-tiny.json"), "'device.dw_min': 1e-30", "[1e-07, 10]"),
            Row(show("duplicate.json"), f.file("duplicate.json"), "duplicate key 'dw_min'", "line 1, column"),
            Row(show("float-range.json"), "'device.dw_min': 1e+39", floatRange),
            Row(show("underflow.json"), "'device.dw_min': 1e-50", "smaller values round to 0"),
            Row(show("desired-bl.json"), "'update.desired_bl': 3.5", "an integer"),
            Row(show("seed-negative.json"), "'device.construction_seed': -5", "an integer in 0…"),
            Row(show("null.json"), f.file("null.json"), "the document is null", "expected an object"),
            Row(show("array.json"), f.file("array.json"), "the document is an array", "expected an object"),
            Row(show("string.json"), f.file("string.json"), #"the document is "fp""#, "expected an object"),
            Row(show("device-array.json"), "'device': an array", "allowed: an object"),
            Row(show("type-number.json"), "'device.type': 3", "soft_bounds_reference"),
            Row(show("unknown-key.json"), "unknown key 'dw_mn' in 'device'", "did you mean 'dw_min'", "allowed keys"),
            Row(show("unknown-type.json"), "'device.type': 'soft_bound'", "one of floating_point"),
            Row(show("out-noise.json"), "'forward.out_noise': -1", "[0, 1000]"),
            Row(show("inp-res-type.json"), #"'forward.inp_res': "x""#, "a number"),
            Row(show("truncated.json"), f.file("truncated.json"), "not valid JSON", "unexpected end"),
            Row(show("omega.json"), "'mapping.weight_scaling_omega': -1", "≥ 0"),
            Row(show("w-bounds.json"), "dw_min", "0.5", "w_max − w_min"),
            Row(show("nope.json"), f.file("nope.json"), "cannot be read", "missing or not a file"),
            Row(["configs", "show", "NoSuchPreset"], "unknown configuration 'NoSuchPreset'", "known: fp, ReRamES"),
            // The same documents refused by train before any work.
            Row(train + ["--config", f.file("dw-min-std.json")], "'device.dw_min_std': 1e+30", "[0, 100]"),
            Row(train + ["--config", f.file("duplicate.json")], "duplicate key 'dw_min'", f.file("duplicate.json")),
            Row(train + ["--config", f.file("null.json")], "the document is null", "expected an object"),
            Row(train + ["--config", f.file("reference-std.json")], "'device.reference_std': 1e+09", "[0, 100]"),
            Row(train + ["--config", f.file("nope.json")], f.file("nope.json"), "cannot be read"),
            // Device files.
            Row(["response", "--device", f.file("device-dw-min.json")], "'dw_min': -0.1", "[1e-07, 10]"),
            Row(["response", "--device", f.file("device-pow-gamma.json")], "'pow_gamma': 0", "(0, 100]"),
            Row(["response", "--device", f.file("device-piecewise.json")], "piecewise_down", "as many nodes"),
            Row(["response", "--device", f.file("nope.json")], f.file("nope.json"), "cannot be read"),
            // Flags.
            Row(train + ["--lr", "1e300"], "'--lr': 1e300", "a finite number > 0"),
            Row(train + ["--lr", "1e-300"], "'--lr': 1e-300", "a finite number > 0"),
            Row(train + ["--lr", "nan"], "'--lr': nan", "a finite number > 0"),
            Row(train + ["--lr=0"], "'--lr': 0", "a finite number > 0"),
            // Finite but absurd: the pulse counts saturate (no trap) and the loss explodes, which
            // stops the run with an error naming epoch, mini-batch, the value and the likely cause.
            Row(train + ["--config", "ReRamSB", "--lr", "1e30"], "training diverged in epoch 1, mini-batch", "allowed: finite and ≤ 1000000",
                "learning rate is too large"),
            Row(train + ["--lr=-0.1"], "'--lr': -0.1", "a finite number > 0"),
            Row(train + ["--epochs", "0"], "'--epochs': 0", "1…1000000"),
            Row(train + ["--batch-size", "0"], "'--batch-size': 0", "1…1000000"),
            Row(train + ["--eval-batch-size", "0"], "'--eval-batch-size': 0", "1…1000000"),
            Row(train + ["--train-samples", "100000"], "'--train-samples': 100000", "1…50"),
            Row(train + ["--test-samples", "21"], "'--test-samples': 21", "1…20"),
            Row(train + ["--threads", "0"], "'--threads': 0", "1…256"),
            Row(train + ["--threads", "300"], "'--threads': 300", "1…256"),
            Row(train + ["--checkpoint-every-epochs", "0"], "'--checkpoint-every-epochs': 0", "≥ 1"),
            Row(train + ["--lr-gamma", "2"], "'--lr-gamma': 2", "(0, 1]"),
            Row(train + ["--model", "xyz"], "'xyz'", "--model", "'fc', 'lenet5' or 'lstm'"),
            Row(train + ["--lr-schedule", "cosine"], "'cosine'", "--lr-schedule", "'constant', 'step' or 'multi_step'"),
            Row(["program", "--seeds", "1,x"], "'--seeds': '1,x'", "part 'x'", "comma-separated integers"),
            Row(["program", "--seeds=-1,2"], "'--seeds': '-1,2'", "part '-1'", "comma-separated integers"),
            Row(["program", "--seeds", "1,,2"], "'--seeds': '1,,2'", "part ''", "comma-separated integers"),
            Row(train + ["--seed", "-1"], "'--seed': -1", "an integer in 0…18446744073709551615"),
            Row(train + ["--seed", "x"], "'--seed': x", "an integer in 0…18446744073709551615"),
            Row(["response", "--device", "ReRamSB", "--seed", "-1"], "'--seed': -1", "an integer in 0…18446744073709551615"),
            Row(["toy", "--seed", "1.5"], "'--seed': 1.5", "an integer in 0…18446744073709551615"),
            Row(["demo", "--seed", "18446744073709551616"], "'--seed': 18446744073709551616", "an integer in 0…18446744073709551615"),
            Row(["response", "--device", "ReRamSB", "--pulses", "0"], "'--pulses': 0", "1…10000000"),
            Row(["response", "--device", "ReRamSB", "--devices", "0"], "'--devices': 0", "1…10000000"),
            // Toy tasks and pulse traces.
            Row(["toy", "--task", f.file("toy-updates.json")], f.file("toy-updates.json"), "'updates': -5", "≥ 0"),
            Row(["toy", "--task", f.file("toy-key.json")], "unknown key 'updatez'", "did you mean 'updates'"),
            Row(["toy", "--task", f.file("toy-algorithm.json")], "'algorithm'", "'ttv9'", "c-ttv2"),
            Row(["fit", "--data", f.file("direction.csv"), "--model", "soft_bounds"], f.file("direction.csv") + ":2", "'sideways'", "up, down, none"),
            Row(["fit", "--data", f.file("conductance.csv"), "--model", "soft_bounds"], f.file("conductance.csv") + ":2", "'abc'", "finite number"),
            Row(["fit", "--data", f.file("nope.csv"), "--model", "soft_bounds"], f.file("nope.csv"), "cannot be read"),
            // Data folders.
            Row(Fixture.train(f.file("data-label")), f.file("data-label/train-labels-idx1-ubyte"), "label 200 at index 7", "0…9"),
            Row(Fixture.train(f.file("data-shape")), f.file("data-shape/t10k-images-idx3-ubyte"), "images are 4×16", "8×8"),
            Row(Fixture.train(f.file("data-count")), f.file("data-count/train-labels-idx1-ubyte"), "holds 49 labels", "holds 50 images"),
            Row(Fixture.train(f.file("data-magic")), f.file("data-magic/train-images-idx3-ubyte"), "IDX"),
            Row(Fixture.train(f.file("data-header")), f.file("data-header/train-images-idx3-ubyte"), "256000000", "3200"),
            Row(Fixture.train(f.file("no-such-data")), f.file("no-such-data"), "no such dataset folder", "scripts/setup.sh"),
            Row(Fixture.train(f.file("empty.jsonl")), f.file("empty.jsonl"), "is a file", "expected a folder"),
            // Sweep files.
            Row(sweep("s-empty-axis.json"), "axis 'seed' (axes[0]) has no values", "a non-empty list"),
            Row(sweep("s-extra.json"), f.file("s-extra.json"), "unknown key 'extra'", "allowed keys: name"),
            Row(sweep("s-duplicate.json"), f.file("s-duplicate.json"), "duplicate key 'name'", "line 1, column"),
            Row(sweep("s-value-type.json"), "axis 'steps'", "'steps': an object", "an integer"),
            Row(sweep("s-task.json"), "unknown task 'nosuchtask'", "known: program, synthetic, toy, train"),
            Row(sweep("s-not-json.json"), f.file("s-not-json.json"), "not valid JSON", "line 1, column"),
            Row(sweep("s-null.json"), f.file("s-null.json"), "the document is null", "expected an object"),
            Row(sweep("s-steps.json"), "'steps': -50", "1…10000000"),
            Row(sweep("s-axis-twice.json"), "duplicate axis 'seed'", "axes[0] and axes[1]"),
            Row(sweep("s-device.json"), "'device.dw_min_std': 1e+30", "[0, 100]"),
            Row(sweep("s-steps-range.json"), "'steps': 1e+39", "an integer"),
            Row(sweep("s-key-typo.json"), "unknown key 'repeat'", "did you mean 'report'"),
            Row(sweep("s-mode.json"), "'mode'", "'diagonal'", "grid"),
            Row(sweep("nope.json"), f.file("nope.json"), "cannot read the sweep file"),
            // Results and metrics files.
            Row(report("mixed.jsonl"), "the results mix 2 sweeps", "'a' (2 points), 'c' (1 points)", "--sweep NAME"),
            Row(report("mixed.jsonl", ["--sweep", "zz"]), "unknown sweep 'zz'", "known: a, c"),
            Row(report("torn-middle.jsonl"), f.file("torn-middle.jsonl") + ": line 2", "not a valid result record", "unexpected character 'g'"),
            Row(report("empty.jsonl"), "no results to report", "the results file is empty"),
            Row(report("sweep-a.jsonl", ["--metric", "nope"]), "unknown metric 'nope'", "known: test_mse"),
            Row(report("bad-id.jsonl"), f.file("bad-id.jsonl") + ": line 1", "field 'id' is not a string"),
            Row(["sweep", "merge", f.file("torn-middle.jsonl"), f.file("sweep-a.jsonl"), "--out", f.file("merged.jsonl")],
                f.file("torn-middle.jsonl") + ": line 2", "not a valid result record"),
            Row(["sweep", "run", f.file("sweep-a.json"), "--out", f.file("torn-middle.jsonl"), "--quiet"],
                f.file("torn-middle.jsonl") + ": line 2", "not a valid result record"),
            Row(["sweep", "run", f.file("sweep-a.json"), "--out", f.file("ordered.jsonl"), "--run-order", "seed,sede", "--quiet"],
                "run_order", "sede", "an axis of the sweep: seed"),
            Row(["sweep", "run", f.file("sweep-a.json"), "--out", f.file("ordered.jsonl"), "--run-order", "seed,seed", "--quiet"],
                "run_order", "seed", "each axis at most once"),
            Row(["train-report", f.file("empty.jsonl")], f.file("empty.jsonl"), "holds no epoch records"),
            Row(["train-report", f.file("metrics-none.jsonl")], f.file("metrics-none.jsonl"), "holds no epoch records"),
            Row(["train-report", f.file("nope.jsonl")], f.file("nope.jsonl"), "cannot be read"),
            // Checkpoints.
            Row(train + ["--resume", f.file("random.ckpt")], f.file("random.ckpt"), "not a CrossbarKit checkpoint", "bad magic number"),
            Row(train + ["--resume", f.file("truncated.ckpt")], f.file("truncated.ckpt"), "truncated or damaged", "file size 5000"),
            Row(train + ["--resume", f.file("flipped.ckpt")], f.file("flipped.ckpt"), "damaged (checksum mismatch)"),
            Row(train + ["--resume", f.file("good.ckpt"), "--seed", "2"], f.file("good.ckpt"), "belongs to another run",
                #"seed: "1" in the checkpoint, "2" in this run"#),
            Row(train + ["--resume", f.file("good.ckpt"), "--batch-size", "5"], f.file("good.ckpt"), "belongs to another run", "batch"),
            Row(train + ["--resume", f.file("good.ckpt"), "--config", "ReRamSB"], f.file("good.ckpt"), "belongs to another run", "configuration."),
            Row(train + ["--resume", f.file("nope.ckpt")], f.file("nope.ckpt"), "cannot be read"),
            Row(train + ["--resume", f.file("up-down.json")], f.file("up-down.json"), "not a CrossbarKit checkpoint"),
        ]
        rows.append(Row(show("array.json") + ["extra-argument"], "extra-argument"))
        return rows
    }

    @Test func everyBadInputIsRefusedClearlyAndChangesNothing() throws {
        let f = try Fixture(binary: binary)
        defer { f.dir.cleanup() }
        let table = rows(f)
        #expect(table.count >= 100, "the table has \(table.count) rows")
        let before = try f.snapshot()
        for row in table {
            let r = try runCrossbar(binary, row.arguments)
            // A refusal, not a crash: ArgumentParser's usage errors exit 64, ours 1; a signal
            // would show as a status above 128 (or a negative one).
            #expect(r.status != 0 && r.status > 0 && r.status < 128, "\(row): status \(r.status)")
            #expect(r.err.lowercased().contains("error: "), "\(row)\n\(r.err)")
            for fragment in row.fragments {
                #expect(r.err.contains(fragment), "\(row): missing '\(fragment)' in\n\(r.err)")
            }
            #expect(!r.out.contains("train loss") && !r.err.contains("epoch 1/"), "\(row): nothing was trained")
            let after = try f.snapshot()
            #expect(after == before, "\(row): changed \(Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted())")
        }
    }
}
