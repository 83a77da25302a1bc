import CrossbarFoundation

/// One part of a ``CharacterCorpus`` cut into sequences of length L and grouped into
/// mini-batches the way the reference's character-LSTM example does.
///
/// - Input characters are part[0 ..< n−1] and targets part[1 ..< n] (the next character);
///   both are cut into S = ⌊(n − 1)/L⌋ non-overlapping sequences, sequence s covering inputs
///   s·L ..< (s + 1)·L (the remainder is dropped).
/// - With batch size B′ = min(B, S) there are N = ⌊S/B′⌋ mini-batches; mini-batch k holds the
///   sequences k + N·j for j = 0 ..< B′ (so row j of consecutive mini-batches walks through one
///   contiguous stretch of text). Sequences beyond N·B′ are dropped. The order is the same in
///   every epoch (the reference does not shuffle), and every sequence starts from zero state.
public struct CharacterBatches: Sendable {
    /// The character indices of the part.
    public let tokens: [Int32]
    /// L: characters per sequence (≥ 1).
    public let sequenceLength: Int
    /// B′: sequences per mini-batch.
    public let batchSize: Int
    /// N: mini-batches.
    public let batchCount: Int

    /// - Parameters:
    ///   - tokens: the part's character indices.
    ///   - sequenceLength: L, 1 … n − 1 for a part of n characters.
    ///   - batchSize: B ≥ 1 (a part with fewer than B sequences forms one mini-batch of all).
    ///   - part: names the part in errors (e.g. "training part of fortunes").
    public init(tokens: [Int32], sequenceLength: Int, batchSize: Int, part: String) throws {
        try Check.atLeast(batchSize, 1, "batch_size")
        let n = tokens.count
        guard sequenceLength >= 1, sequenceLength <= n - 1 else {
            throw CrossbarError.invalidParameter(
                field: "sequence_length", value: "\(sequenceLength)",
                allowed: n >= 2 ? "1…\(n - 1) (the \(part) has \(n) characters; a sequence needs L inputs and the character after them)"
                                : "none: the \(part) has \(n) character\(n == 1 ? "" : "s")")
        }
        let sequences = (n - 1) / sequenceLength
        self.tokens = tokens
        self.sequenceLength = sequenceLength
        self.batchSize = min(batchSize, sequences)
        batchCount = sequences / self.batchSize
    }

    /// Characters predicted per epoch: N · B′ · L.
    public var charactersPerEpoch: Int { batchCount * batchSize * sequenceLength }

    /// Writes mini-batch `k`'s inputs and targets, batch-major [B′ × L] each (row j = sequence
    /// k + N·j).
    package func fill(batch k: Int, inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>) {
        precondition(k >= 0 && k < batchCount)
        let l = sequenceLength
        tokens.withUnsafeBufferPointer { t in
            for j in 0..<batchSize {
                let start = (k + batchCount * j) * l
                (inputs + j * l).update(from: t.baseAddress! + start, count: l)
                (targets + j * l).update(from: t.baseAddress! + start + 1, count: l)
            }
        }
    }
}
