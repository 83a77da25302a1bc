import Foundation
import Testing
import CrossbarKit
import TestSupport

@Suite struct CharacterCorpusTests {
    /// 100 scalars split 90 / 5 / 5 by position; the vocabulary is the training part's scalars
    /// sorted by value; a scalar only the test part has is left out (and counted).
    @Test func splitsByPositionWithTheTrainingVocabulary() throws {
        let text = String(repeating: "ba c", count: 22) + "ab" + "cabab" + "bzaba"   // 88 + 2 | 5 | 5 scalars
        #expect(text.unicodeScalars.count == 100)
        let corpus = try CharacterCorpus(text: text, name: "t")
        #expect(corpus.vocabulary.map { String($0) } == [" ", "a", "b", "c"])
        #expect(corpus.train.count == 90)
        #expect(corpus.validation.count == 5)
        // The test part "bzaba" holds "z", which the training part lacks: it is dropped.
        #expect(corpus.test.count == 4 && corpus.unknownDropped == 1)
        #expect(corpus.train.prefix(4) == [2, 1, 0, 3])
    }

    @Test func scalarsNotGraphemesAreTheCharacters() throws {
        // "é" as e + combining acute: two scalars, one grapheme.
        let corpus = try CharacterCorpus(text: String(repeating: "e\u{301}x", count: 40), name: "t")
        #expect(corpus.vocabulary.map(\.value) == [0x65, 0x78, 0x301])
    }

    @Test func unigramEntropyOfTwoEquallyFrequentCharactersIsLn2() throws {
        let corpus = try CharacterCorpus(text: String(repeating: "ab", count: 100), name: "t")
        #expect(abs(corpus.unigramEntropy - log(2)) < 1e-12)
    }

    @Test func batchesFollowTheReferenceSampler() throws {
        // 21 characters → inputs 0…19, targets 1…20; L = 3 → S = 6 sequences; B = 2 → N = 3,
        // mini-batch k holds sequences k and k + 3.
        let tokens = (0..<21).map { Int32($0) }
        let batches = try CharacterBatches(tokens: tokens, sequenceLength: 3, batchSize: 2, part: "p")
        #expect(batches.batchCount == 3 && batches.batchSize == 2 && batches.charactersPerEpoch == 18)
        var x = [Int32](repeating: -1, count: 6), y = x
        x.withUnsafeMutableBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            batches.fill(batch: 1, inputs: xp.baseAddress!, targets: yp.baseAddress!) } }
        #expect(x == [3, 4, 5, 12, 13, 14])
        #expect(y == [4, 5, 6, 13, 14, 15])
        // Fewer sequences than B: one mini-batch of all of them.
        let small = try CharacterBatches(tokens: tokens, sequenceLength: 8, batchSize: 32, part: "p")
        #expect(small.batchSize == 2 && small.batchCount == 1)
    }

    // MARK: Bad input

    @Test func emptyFileIsRefusedByName() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let path = dir.file("empty.txt")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let message = errorMessage { _ = try CharacterCorpus.load(path: path) }
        #expect(message.contains(path) && message.contains("empty"))
    }

    @Test func nonUTF8FileNamesTheOffsetAndByte() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let path = dir.file("latin1.txt")
        _ = FileManager.default.createFile(atPath: path, contents: Data(Array("caf".utf8) + [0xE9] + Array(" au lait".utf8)))
        let message = errorMessage { _ = try CharacterCorpus.load(path: path) }
        #expect(message.contains(path) && message.contains("UTF-8") && message.contains("offset 3") && message.contains("0xE9"))
    }

    @Test func missingFileIsRefusedByName() {
        let message = errorMessage { _ = try CharacterCorpus.load(path: "/nonexistent/corpus.txt") }
        #expect(message.contains("/nonexistent/corpus.txt"))
    }

    @Test func vocabularyOfOneIsRefused() {
        let message = errorMessage { _ = try CharacterCorpus(text: String(repeating: "a", count: 200), name: "aaa.txt") }
        #expect(message.contains("aaa.txt") && message.contains("vocabulary") && message.contains("1 character") && message.contains("≥ 2"))
    }

    @Test func sequenceLongerThanThePartIsRefusedWithTheRange() throws {
        let corpus = try CharacterCorpus(text: String(repeating: "abcd", count: 50), name: "t")   // validation: 10 characters
        let message = errorMessage {
            _ = try CharacterBatches(tokens: corpus.validation, sequenceLength: 10, batchSize: 4, part: "validation part of t")
        }
        #expect(message.contains("sequence_length") && message.contains("10") && message.contains("1…9") && message.contains("validation part of t"))
    }

    @Test func tooShortTextIsRefused() {
        let message = errorMessage { _ = try CharacterCorpus(text: "abcabcabc", name: "short.txt") }
        #expect(message.contains("short.txt") && message.contains("part"))
    }

    /// The default corpus: the fortunes files in byte order of their names, without the
    /// `.dat` index files and the `.u8` links, each real file once.
    @Test func fortuneFilesSkipIndexesLinksAndDuplicates() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        for (name, text) in [("zeta", "z z\n%\n"), ("alpha", "a a\n%\n"), ("beta", "b b\n%\n")] {
            _ = FileManager.default.createFile(atPath: dir.file(name), contents: Data(text.utf8))
            _ = FileManager.default.createFile(atPath: dir.file(name + ".dat"), contents: Data([0, 1, 2, 0xFF]))
            try FileManager.default.createSymbolicLink(atPath: dir.file(name + ".u8"), withDestinationPath: name)
        }
        try FileManager.default.createSymbolicLink(atPath: dir.file("gamma"), withDestinationPath: "alpha")   // the same file again
        try FileManager.default.createDirectory(atPath: dir.file("off"), withIntermediateDirectories: true)
        let files = try CharacterCorpus.fortuneFiles(in: dir.path).map { ($0 as NSString).lastPathComponent }
        #expect(files == ["alpha", "beta", "zeta"])
        let corpus = try CharacterCorpus.fortunes(folder: dir.path, split: .init(train: 0.6, validation: 0.2))
        #expect(corpus.name == "fortunes" && corpus.train.count == 10)
        #expect(errorMessage { _ = try CharacterCorpus.fortuneFiles(in: dir.file("missing")) }.contains("fortunes"))
    }
}
