/// The named random streams of a simulation. Every random draw in CrossbarKit belongs to one.
///
/// See docs/randomness.md for the design. In short: one master seed; each stream kind, each
/// tile (by its path, e.g. `"layer1/A"`) and each unit of work (e.g. sample 1234 of a tile's
/// update, chunk 3 of its rows) gets its own generator, derived by hashing, never by handing a
/// shared generator around. A result therefore depends only on the master seed and on what is
/// computed — not on thread count, not on the order in which threads run.
public enum RandomStream: UInt64, Sendable, CaseIterable, CustomStringConvertible {
    /// Device-to-device parameters drawn once when a device array is built (docs/devices.md, "Device-to-device sampling").
    case construction = 1
    /// Cycle-to-cycle noise of each device step (dw_min_std, write noise, diffusion, resets).
    case cycleNoise = 2
    /// Stochastic pulse trains of the pulsed update (docs/devices.md, "The pulsed update").
    case pulses = 3
    /// Noise and stochastic rounding of analog matrix-vector products (docs/io.md).
    case mvmNoise = 4
    /// Order of the training data (shuffling per epoch).
    case dataOrder = 5
    /// Initial weights of network layers.
    case initialization = 6
    /// Random decisions of the training algorithms (chopper flips, random column selection,
    /// column resets of Tiki-Taka).
    case algorithm = 7
    /// Synthetic data sets and tasks (targets, fixed inputs of the programming task).
    case task = 8
    /// Dropout masks between recurrent layers (one generator per mini-batch and layer).
    case dropout = 9

    public var description: String {
        switch self {
        case .construction: "construction"
        case .cycleNoise: "cycle_noise"
        case .pulses: "pulses"
        case .mvmNoise: "mvm_noise"
        case .dataOrder: "data_order"
        case .initialization: "initialization"
        case .algorithm: "algorithm"
        case .task: "task"
        case .dropout: "dropout"
        }
    }
}

/// A 64-bit key that names one random stream of one component. Keys are derived from the
/// master seed by hashing (``SplitMix64/mix(_:)``); generators are derived from a key and one or
/// two counters, so any unit of work can get its own generator in O(1) without coordination.
public struct StreamKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: UInt64

    public init(rawValue: UInt64) { value = rawValue }

    /// The key of `stream` for the component at `path` under `masterSeed`.
    public init(masterSeed: UInt64, stream: RandomStream, path: String = "") {
        var h = SplitMix64.mix(masterSeed ^ 0x43_72_6F_73_73_62_61_72) // "Crossbar"
        h = SplitMix64.mix(h ^ stream.rawValue &* 0x9E37_79B9_7F4A_7C15)
        h = StreamKey.hash(path, into: h)
        value = h
    }

    /// A sub-key for a named part (e.g. `"A"`, `"forward"`).
    public func child(_ name: String) -> StreamKey {
        StreamKey(rawValue: StreamKey.hash(name, into: SplitMix64.mix(value ^ 0x5EED)))
    }

    /// A sub-key for a numbered part.
    public func child(_ index: Int) -> StreamKey {
        StreamKey(rawValue: SplitMix64.mix(SplitMix64.mix(value &+ 0xA5A5_A5A5) ^ UInt64(bitPattern: Int64(index))))
    }

    /// The generator for unit of work (`counter`, `lane`) of this stream, e.g. (sample index,
    /// row chunk). Distinct (counter, lane) pairs give statistically independent generators.
    @inline(__always)
    public func generator(_ counter: UInt64, _ lane: UInt64 = 0) -> Xoshiro256 {
        let a = SplitMix64.mix(value ^ SplitMix64.mix(counter &+ 0x1234_5678_9ABC_DEF1))
        return Xoshiro256(seed: SplitMix64.mix(a ^ (lane &* 0xD1B5_4A32_D192_ED03)))
    }

    /// A generator for sequential use (counter 0, lane 0).
    public var generator: Xoshiro256 { generator(0, 0) }

    public var description: String { String(value, radix: 16) }

    private static func hash(_ s: String, into seed: UInt64) -> UInt64 {
        var h = seed
        for byte in s.utf8 { h = SplitMix64.mix(h ^ UInt64(byte)) }
        return SplitMix64.mix(h ^ UInt64(s.utf8.count))
    }
}

/// The master seed of a run and the keys derived from it.
public struct SeedSet: Sendable, Codable, Hashable {
    public let master: UInt64

    public init(master: UInt64) { self.master = master }

    /// The key of `stream` for the component at `path`.
    public func key(_ stream: RandomStream, _ path: String) -> StreamKey {
        StreamKey(masterSeed: master, stream: stream, path: path)
    }
}
