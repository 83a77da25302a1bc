import Foundation
import Testing
import CrossbarKit

/// Replays the inputs kept from fuzzing (docs/reliability.md, section Fuzzing) through the
/// entry points the libFuzzer targets in Fuzz/ call: every reproducer of a past finding and a
/// few inputs that reach deep paths (Fixtures/Fuzz/<target>/), and the seed corpora
/// (Fuzz/Corpus/<target>/). Each must return normally or throw a CrossbarError — a trap
/// would end the test process.
@Suite struct FuzzReplayTests {
    /// The files of `folder`, sorted by name (none when it does not exist).
    static func files(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The kept fuzz inputs of `target` (test resources).
    static func fixtures(_ target: String) throws -> [URL] {
        let root = try #require(Bundle.module.url(forResource: "Fuzz", withExtension: nil, subdirectory: "Fixtures"))
        return files(in: root.appendingPathComponent(target))
    }

    /// The seed corpus of `target` in the nested fuzzing package.
    static func seeds(_ target: String) -> [URL] {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return files(in: repository.appendingPathComponent("Fuzz/Corpus/\(target)"))
    }

    /// Runs `file` through target `target`'s entry point; anything but success or a
    /// CrossbarError is recorded as an issue naming the file.
    static func replay(_ target: String, _ file: URL) throws {
        let data = try Data(contentsOf: file)
        do {
            try FuzzEntryPoints.run(target, data)
        } catch is CrossbarError {
        } catch {
            Issue.record("\(target)/\(file.lastPathComponent): \(type(of: error)) is not a CrossbarError: \(error)")
        }
    }

    @Test(arguments: FuzzEntryPoints.targets)
    func keptFuzzInputsReturnNormally(target: String) throws {
        let inputs = try Self.fixtures(target)
        #expect(!inputs.isEmpty, "no kept fuzz inputs for \(target)")
        for file in inputs { try Self.replay(target, file) }
    }

    @Test(arguments: FuzzEntryPoints.targets)
    func seedCorporaReturnNormally(target: String) throws {
        for file in Self.seeds(target) { try Self.replay(target, file) }
    }

    /// The seeds are accepted by their readers (a seed that is refused reaches few paths).
    @Test func seedsOfTheReadersAreAccepted() throws {
        for target in ["sweep", "idx", "checkpoint"] {
            for file in Self.seeds(target) {
                #expect(throws: Never.self, "\(target)/\(file.lastPathComponent)") {
                    try FuzzEntryPoints.run(target, try Data(contentsOf: file))
                }
            }
        }
    }
}
