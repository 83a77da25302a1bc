import CrossbarFoundation
import CrossbarAlgorithms
import CrossbarNetwork

/// One line of a character-model metrics file (JSON Lines): the epoch's
/// ``CharacterEpochMetrics`` under `metrics`, and, at the top level, the epoch number and
/// everything needed to reproduce it (run fingerprint, model, corpus, configuration, seeds).
public struct CharacterEpochRecord: Codable, Sendable, Equatable {
    /// Number of the epoch, 1-based (repeated from the metrics so that metrics-file tools find it).
    public var epoch: Int
    /// What the epoch measured.
    public var metrics: CharacterEpochMetrics
    /// Epochs the run was asked for.
    public var epochs: Int
    /// Model name ("lstm").
    public var model: String
    /// The model options (hidden size, layers, dropout, clipping) and the sequence length.
    public var modelOptions: LSTMModelOptions
    public var sequenceLength: Int
    /// Corpus name and digest (``CharacterCorpus/digest``).
    public var corpus: String
    public var corpusDigest: String
    /// How the configuration was named on the command line; the authoritative value is
    /// ``configuration``.
    public var configurationName: String
    /// `ParallelExecutor/threadCount` during the epoch (results do not depend on it).
    public var threads: Int
    /// Pulses per training character in this epoch (up + down, all devices of the array), by
    /// layer (tile path, e.g. `layer0`) and array (`W`; `A`, `C` for the transfer compounds).
    /// Empty for floating-point tiles.
    public var pulsesPerCharacter: [String: [String: Double]]
    public var seeds: SeedSet
    /// Fingerprint of the run (``RunIdentity/fingerprint``).
    public var run: String
    public var configuration: TileConfiguration
    /// CrossbarKit version.
    public var version: String

    enum CodingKeys: String, CodingKey {
        case epoch, metrics, epochs, model, corpus, threads, seeds, run, configuration, version
        case modelOptions = "model_options"
        case sequenceLength = "sequence_length"
        case corpusDigest = "corpus_digest"
        case configurationName = "configuration_name"
        case pulsesPerCharacter = "pulses_per_character"
    }

    /// The record as one compact JSON line.
    public var jsonLine: String { JSONCoding.encodeString(self, pretty: false) }
}
