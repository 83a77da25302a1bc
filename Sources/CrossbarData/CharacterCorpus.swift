import Foundation
import CrossbarFoundation

/// A UTF-8 text as character indices, split by position into training, validation and test
/// parts, for character-level language models.
///
/// - **Characters** are Unicode scalars (code points), not grapheme clusters: the same text
///   gives the same vocabulary with every toolchain (grapheme rules change between Unicode
///   versions), and it is what a Python string of the text holds.
/// - **Split**: the scalar sequence of length n is cut at ⌊n·f_train⌋ and ⌊n·(f_train + f_val)⌋
///   (default fractions 0.9 / 0.05 / 0.05): training = the beginning, validation = the middle,
///   test = the end. Contiguous parts keep every sequence inside one part.
/// - **Vocabulary**: the distinct scalars of the training part sorted by scalar value; index i
///   is the i-th of them. Scalars of the validation or test part that do not occur in the
///   training part are left out of that part (counted in ``unknownDropped``), since the model
///   has no input or output for them.
public struct CharacterCorpus: Sendable, Equatable {
    /// A short name for reports (the file name, or the caller's name).
    public let name: String
    /// The vocabulary, sorted by scalar value (at least 2 scalars).
    public let vocabulary: [Unicode.Scalar]
    /// Character indices (into ``vocabulary``) of the training part.
    public let train: [Int32]
    /// Character indices of the validation part (unknown scalars removed).
    public let validation: [Int32]
    /// Character indices of the test part (unknown scalars removed).
    public let test: [Int32]
    /// Scalars of the validation and test parts left out because the training part lacks them.
    public let unknownDropped: Int
    /// SHA-256 of the UTF-8 text and the split fractions, 64 hex digits (the run identity's
    /// corpus digest).
    public let digest: String

    /// The fractions of the text in the training and validation parts (the test part is the rest).
    public struct Split: Sendable, Equatable {
        /// Fraction of the scalars in the training part, (0, 1). Default 0.9.
        public var train: Double
        /// Fraction in the validation part, (0, 1 − train). Default 0.05.
        public var validation: Double

        public init(train: Double = 0.9, validation: Double = 0.05) {
            self.train = train
            self.validation = validation
        }

        public static let standard = Split()

        func validate() throws {
            guard train.isFinite, train > 0, train < 1 else {
                throw CrossbarError.invalidParameter(field: "split.train", value: "\(train)", allowed: "0 < fraction < 1")
            }
            guard validation.isFinite, validation > 0, train + validation < 1 else {
                throw CrossbarError.invalidParameter(field: "split.validation", value: "\(validation)",
                                                     allowed: "0 < fraction < \(1 - train) (1 − the training fraction)")
            }
        }
    }

    /// Reads the UTF-8 text file `path` (symbolic links are followed) and splits it.
    /// Throws ``CrossbarError/file(path:reason:)`` for a missing, unreadable, empty or non-UTF-8
    /// file (naming the offset of the first invalid byte), and the errors of
    /// ``init(text:name:split:source:)``.
    public static func load(path: String, split: Split = .standard) throws -> CharacterCorpus {
        let text = try readText(path)
        return try CharacterCorpus(scalars: text, name: (path as NSString).lastPathComponent, split: split, source: path)
    }

    /// The scalars of the UTF-8 file `path`; refuses missing, empty and non-UTF-8 files.
    public static func readText(_ path: String) throws -> [Unicode.Scalar] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path)
        else {
            throw CrossbarError.file(path: path, reason: "cannot be read (missing or not a file)")
        }
        guard !data.isEmpty else { throw CrossbarError.file(path: path, reason: "is empty (a character corpus needs UTF-8 text)") }
        return try decodeUTF8(Array(data), path: path)
    }

    /// Decodes `bytes` as UTF-8; the first invalid byte sequence is reported with its offset.
    static func decodeUTF8(_ bytes: [UInt8], path: String) throws -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .emptyInput:
                return scalars
            case .error(let length):
                let shown = bytes[offset..<min(offset + max(length, 1), bytes.count)].map { String(format: "0x%02X", $0) }
                throw CrossbarError.file(path: path, reason: "is not valid UTF-8: byte offset \(offset) holds \(shown.joined(separator: " ")) "
                                         + "(convert the text to UTF-8 first, e.g. iconv -f LATIN1 -t UTF-8)")
            }
        }
    }

    /// Splits `text` (see the type's documentation). `source` names the text in errors.
    public init(text: String, name: String, split: Split = .standard, source: String? = nil) throws {
        try self.init(scalars: Array(text.unicodeScalars), name: name, split: split, source: source)
    }

    /// Splits the scalar sequence `scalars`; each part needs at least 2 scalars and the training
    /// part at least 2 distinct ones.
    public init(scalars: [Unicode.Scalar], name: String, split: Split = .standard, source: String? = nil) throws {
        try split.validate()
        let what = source ?? name
        guard !scalars.isEmpty else { throw CrossbarError.file(path: what, reason: "is empty (a character corpus needs UTF-8 text)") }
        let n = scalars.count
        let trainEnd = Int(Double(n) * split.train)
        let validationEnd = Int(Double(n) * (split.train + split.validation))
        for (part, count) in [("training", trainEnd), ("validation", validationEnd - trainEnd), ("test", n - validationEnd)] where count < 2 {
            throw CrossbarError.invalidParameter(
                field: "\(what) \(part) part", value: "\(count) character\(count == 1 ? "" : "s") (of \(n) in the text)",
                allowed: "≥ 2 characters in every part (a longer text, or other split fractions)")
        }
        let vocabulary = Array(Set(scalars[0..<trainEnd])).sorted { $0.value < $1.value }
        guard vocabulary.count >= 2 else {
            throw CrossbarError.invalidParameter(
                field: "\(what) vocabulary of the training part", value: "1 character (\(vocabulary[0].escaped(asASCII: true)))",
                allowed: "≥ 2 distinct characters (a model cannot learn anything from one)")
        }
        var index: [Unicode.Scalar: Int32] = [:]
        for (i, s) in vocabulary.enumerated() { index[s] = Int32(i) }
        var dropped = 0
        func indices(_ range: Range<Int>) -> [Int32] {
            var out: [Int32] = []
            out.reserveCapacity(range.count)
            for k in range {
                if let i = index[scalars[k]] { out.append(i) } else { dropped += 1 }
            }
            return out
        }
        let train = indices(0..<trainEnd)
        let validation = indices(trainEnd..<validationEnd)
        let test = indices(validationEnd..<n)
        for (part, tokens) in [("validation", validation), ("test", test)] where tokens.count < 2 {
            throw CrossbarError.invalidParameter(
                field: "\(what) \(part) part", value: "\(tokens.count) known character\(tokens.count == 1 ? "" : "s")",
                allowed: "≥ 2 characters that also occur in the training part")
        }
        var digestInput = Array(String(String.UnicodeScalarView(scalars)).utf8)
        digestInput += Array("\nsplit \(split.train) \(split.validation)".utf8)
        self.name = name
        self.vocabulary = vocabulary
        self.train = train
        self.validation = validation
        self.test = test
        unknownDropped = dropped
        digest = ContentDigest.sha256Hex(digestInput)
    }

    /// V: the number of distinct characters.
    public var vocabularySize: Int { vocabulary.count }

    /// Per-character entropy −Σ p log p (nats) of the training part's character frequencies:
    /// the loss of the best model that ignores context (the unigram baseline).
    public var unigramEntropy: Double {
        var counts = [Int](repeating: 0, count: vocabulary.count)
        for t in train { counts[Int(t)] += 1 }
        let n = Double(train.count)
        return counts.reduce(0.0) { $1 == 0 ? $0 : $0 - Double($1) / n * log(Double($1) / n) }
    }
}
