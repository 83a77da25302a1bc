import Foundation
import Testing
import CrossbarKit

/// `crossbar train --model lstm` as a process: a checkpointed run resumed after its first
/// epoch ends in the state of an uninterrupted run; bad text files and options are refused with
/// the file or option, the value and the allowed form.
@Suite(.serialized, .enabled(if: crossbarExecutable() != nil, "the crossbar executable is not built (swift build builds it)"))
struct LSTMCLITests {
    let binary = crossbarExecutable() ?? ""

    func arguments(_ text: String, epochs: Int) -> [String] {
        ["train", "--model", "lstm", "--data", text, "--config", "ChoppedTTv2ReRamSB", "--hidden-size", "6", "--sequence-length", "12",
         "--batch-size", "4", "--eval-batch-size", "4", "--lr", "0.1", "--epochs", "\(epochs)", "--seed", "3", "--quiet"]
    }

    @Test func resumedRunEndsInTheStateOfAnUninterruptedRun() throws {
        let dir = try TemporaryFolder(); defer { dir.cleanup() }
        let text = dir.file("text.txt")
        try structuredText(sentences: 50, seed: 4).write(toFile: text, atomically: true, encoding: .utf8)

        let straight = try runCrossbar(binary, arguments(text, epochs: 2) + ["--checkpoint", dir.file("straight.ckpt")])
        #expect(straight.status == 0, "\(straight.err)")
        #expect(straight.out.contains("validation perplexity") && straight.out.contains("test accuracy"))

        let first = try runCrossbar(binary, arguments(text, epochs: 1) + ["--checkpoint", dir.file("run.ckpt"), "--metrics", dir.file("m.jsonl")])
        #expect(first.status == 0, "\(first.err)")
        let second = try runCrossbar(binary, arguments(text, epochs: 2) + ["--checkpoint", dir.file("run.ckpt"), "--metrics", dir.file("m.jsonl"),
                                                                         "--resume", dir.file("run.ckpt")])
        #expect(second.status == 0, "\(second.err)")
        #expect(second.err.contains("resumed"))

        let a = try TrainingSession.readCheckpoint(dir.file("straight.ckpt"))
        let b = try TrainingSession.readCheckpoint(dir.file("run.ckpt"))
        #expect(stateDifferences(a, b) == [])
        let lines = try String(contentsOfFile: dir.file("m.jsonl"), encoding: .utf8).split(separator: "\n")
        let parsed = try lines.map { try JSONValue.parse(String($0)) }
        #expect(parsed.compactMap { $0["epoch"]?.intValue } == [1, 2])
        for p in parsed {
            #expect(p["metrics"]?["validation"]?["loss"]?.doubleValue.map { $0 > 0 } == true)
            #expect(p["corpus_digest"]?.stringValue?.count == 64)
        }
    }

    @Test func badTextsAndOptionsAreRefusedClearly() throws {
        let dir = try TemporaryFolder(); defer { dir.cleanup() }
        let good = dir.file("good.txt"), empty = dir.file("empty.txt"), latin = dir.file("latin1.txt"), single = dir.file("single.txt")
        try structuredText(sentences: 30, seed: 4).write(toFile: good, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        _ = FileManager.default.createFile(atPath: latin, contents: Data(Array("na".utf8) + [0xEF, 0x76] + Array("e text, long enough".utf8)))
        try String(repeating: "x", count: 300).write(toFile: single, atomically: true, encoding: .utf8)
        func run(_ data: String, _ extra: [String] = []) throws -> (status: Int32, err: String) {
            let r = try runCrossbar(binary, ["train", "--model", "lstm", "--config", "fp", "--data", data, "--epochs", "1",
                                             "--hidden-size", "4", "--sequence-length", "10", "--quiet"] + extra)
            return (r.status, r.err)
        }
        let rows: [(String, [String], [String])] = [
            (empty, [], [empty, "empty"]),
            (latin, [], [latin, "not valid UTF-8", "offset 2", "0xEF"]),
            (single, [], [single, "vocabulary", "1 character", "≥ 2"]),
            (good, ["--sequence-length", "5000"], ["--sequence-length", "5000", "1…"]),
            (good, ["--dropout", "1"], ["--dropout", "1", "[0, 1)"]),
            (good, ["--hidden-size", "0"], ["--hidden-size", "0", "1…4096"]),
            (dir.file("missing.txt"), [], [dir.file("missing.txt")]),
            (good, ["--train-samples", "100"], ["--train-samples", "100", "--model lstm"]),
        ]
        for (data, extra, fragments) in rows {
            let r = try run(data, extra)
            #expect(r.status != 0 && r.status < 128, "\(data) \(extra): status \(r.status)")
            for fragment in fragments { #expect(r.err.contains(fragment), "\(data) \(extra): \(r.err)") }
        }
    }
}
