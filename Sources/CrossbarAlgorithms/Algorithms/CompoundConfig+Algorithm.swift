import CrossbarFoundation
import CrossbarDevices

/// The one place that maps the training algorithms onto the reference simulator's compounds
/// (docs/algorithms.md §2): Tiki-Taka v1 → `transfer_compound`; TTv2 → `chopped_transfer_compound`
/// without choppers (in_chop_prob 0, as the reference's TTv2 presets do it); c-TTv2 →
/// `chopped_transfer_compound`; AGAD → `dynamic_transfer_compound`; mixed precision →
/// `mixed_precision_compound`.
extension CompoundConfig {
    /// The compound of `algorithm` with its kind's defaults (nil for in-memory SGD and fp, which
    /// have no compound).
    public init?(algorithm: AlgorithmName, devices: [DeviceConfig]) {
        switch algorithm {
        case .sgd, .fp: return nil
        case .tikiTaka: self.init(kind: .transfer, devices: devices)
        case .ttv2:
            self.init(kind: .chopped, devices: devices)
            inChopProb = 0
        case .cTTv2: self.init(kind: .chopped, devices: devices)
        case .agad: self.init(kind: .dynamic, devices: devices)
        case .mixedPrecision: self.init(kind: .mixedPrecision, devices: devices)
        }
    }

    /// The algorithm this compound runs (a chopped compound without choppers is TTv2).
    public var algorithm: AlgorithmName {
        switch kind {
        case .transfer: .tikiTaka
        case .buffered: .ttv2
        case .chopped: inChopProb > 0 || outChopProb > 0 ? .cTTv2 : .ttv2
        case .dynamic: .agad
        case .mixedPrecision: .mixedPrecision
        }
    }
}

extension CompoundConfig {
    /// Checks an input-chopper probability (`in_chop_prob`, the flip probability of the random
    /// chopper or 1/period of the regular one): in [0, 1], and above 0 where the algorithm needs
    /// a chopper (AGAD's reference periods, the toy's chopped algorithms).
    public static func validateChopProbability(_ p: Float, field: String = "in_chop_prob", needsChopper: Bool) throws {
        try Check.probability(p, field)
        if needsChopper && p == 0 {
            throw CrossbarError.invalidParameter(field: field, value: "\(p)", allowed: "(0, 1]: the algorithm needs a chopper")
        }
    }
}

extension AlgorithmName {
    /// True for the algorithms that modulate A's update with choppers (c-TTv2, AGAD).
    public var usesChoppers: Bool { self == .cTTv2 || self == .agad }
}

extension TileConfiguration {
    /// The algorithm this configuration runs: `fp`, `sgd` (one pulsed array) or the compound's.
    public var algorithm: AlgorithmName {
        switch device {
        case let .single(d): d.model.isPulsed ? .sgd : .fp
        case let .compound(c): c.algorithm
        }
    }
}
