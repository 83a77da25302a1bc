import CrossbarDevices
import CrossbarFoundation

/// The knobs of ``AlgorithmBuilder`` — the reference simulator's `build_config(algorithm,
/// device)` — that the paper's experiments change. JSON keys in snake_case.
///
/// Every field is optional: `null` (the default) means "the value `build_config` gives this
/// algorithm" (docs/algorithms.md §6.1 lists them):
///
/// | field | sgd / mixed precision | tiki-taka | ttv2 | c-ttv2 | agad |
/// |---|---|---|---|---|---|
/// | desired_bl (of the A or SGD update) | 31 | 31 | 5 | 5 | 5 |
/// | fast_lr | – | 1 (×η) | 1 | 0.1 | 0.1 |
/// | auto_scale | – | – | false | true | true |
/// | transfer_every (vectors) | – | 1 | 1 | 1 | 1 |
/// | auto_granularity | – | – | 0 (off) | 0 | 0 |
/// | in_chop_prob | – | – | 0 | 0.1 | 0.1 |
/// | in_chop_random | – | – | – | true | false |
/// | tail_weightening | – | – | – | – | 5 |
///
/// ``correlationDetection`` holds the overrides of the authors' weight-programming example
/// (the paper's Fig. 4 task): transfer_every 1, auto_granularity 200, auto_scale on, regular
/// chopper, tail_weightening 5.
public struct AlgorithmOptions: ConfigRecord {
    /// Transfer cycle in vectors (one line of A read per cycle).
    public var transferEvery: Float?
    /// Buffer granularity scale: H needs about this many reads' worth of a full-scale
    /// gradient to reach the threshold (0 = off).
    public var autoGranularity: Float?
    /// Scale the fast learning rate by running maxima of |x| and |d|.
    public var autoScale: Bool?
    /// Fast learning rate of A.
    public var fastLR: Float?
    /// Chopper flip probability (random) or 1/period in sweeps (regular), in [0, 1].
    public var inChopProb: Float?
    /// Random instead of regular chopper flips.
    public var inChopRandom: Bool?
    /// AGAD tail weighting τ_w (β = min(τ_w / chopper period, 1)).
    public var tailWeightening: Float?
    /// Pulse-train length of the A (or SGD) update.
    public var desiredBL: Int?

    public init() {}

    /// The authors' weight-programming example (their `26_correlation_detection`): on top of
    /// `build_config`, transfer_every 1, auto_granularity 200, auto_scale on, regular chopper,
    /// AGAD tail_weightening 5.
    public static var correlationDetection: AlgorithmOptions {
        var o = AlgorithmOptions()
        o.transferEvery = 1
        o.autoGranularity = 200
        o.autoScale = true
        o.inChopRandom = false
        o.tailWeightening = 5
        return o
    }

    public static var fields: [ConfigField<AlgorithmOptions>] {
        [
            .init("transfer_every", \.transferEvery),
            .init("auto_granularity", \.autoGranularity),
            .init("auto_scale", \.autoScale),
            .init("fast_lr", \.fastLR),
            .init("in_chop_prob", \.inChopProb),
            .init("in_chop_random", \.inChopRandom),
            .init("tail_weightening", \.tailWeightening),
            .init("desired_bl", \.desiredBL),
        ]
    }

    public func validate() throws {
        if let transferEvery { try Check.finite(transferEvery, "transfer_every") }
        if let autoGranularity { try Check.nonNegative(autoGranularity, "auto_granularity") }
        if let fastLR { try Check.finite(fastLR, "fast_lr") }
        if let inChopProb { try CompoundConfig.validateChopProbability(inChopProb, needsChopper: false) }
        if let tailWeightening { try Check.nonNegative(tailWeightening, "tail_weightening") }
        if let desiredBL {
            try Check.atLeast(desiredBL, 1, "desired_bl")
            if desiredBL > UpdateParameters.maxDesiredBL {
                throw CrossbarError.invalidParameter(field: "desired_bl", value: "\(desiredBL)", allowed: "1…\(UpdateParameters.maxDesiredBL)")
            }
        }
    }
}
