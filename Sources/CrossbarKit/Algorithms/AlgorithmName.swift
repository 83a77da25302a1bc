/// The in-memory training algorithms by short name (for the CLI, sweeps and experiments).
public enum AlgorithmName: String, ConfigEnum {
    /// In-memory SGD: one pulsed array (spec §1).
    case sgd
    /// Tiki-Taka v1 (TransferCompound).
    case tikiTaka = "tiki-taka"
    /// TTv2: chopped transfer without choppers (the reference simulator's TTv2 presets).
    case ttv2
    /// Chopped-TTv2.
    case cTTv2 = "c-ttv2"
    /// AGAD.
    case agad
    /// Mixed precision.
    case mixedPrecision = "mixed-precision"
    /// Floating point (no device).
    case fp
}

/// Settings of ``AlgorithmBuilder`` (the reference simulator's `build_config` plus the knobs
/// the paper's experiments vary). JSON keys in snake_case.
public struct AlgorithmOptions: ConfigRecord {
    /// Transfer cycle in vectors (one line read per cycle). Default 1.
    public var transferEvery: Float = 1
    /// Buffer granularity scale (see CompoundConfig.autoGranularity). Default 200.
    public var autoGranularity: Float = 200
    /// Adaptive fast learning rate. Default true.
    public var autoScale = true
    /// Fast learning rate of A. Default 1.
    public var fastLR: Float = 1
    /// Chopper flip probability / 1/period (c-TTv2, AGAD). Default 0.1.
    public var inChopProb: Float = 0.1
    /// Random instead of regular chopper flips. Default false (regular, as in the paper).
    public var inChopRandom = false
    /// AGAD tail weighting. Default 5.
    public var tailWeightening: Float = 5
    /// Pulse-train length of the A (or SGD) update. Default 31.
    public var desiredBL = 31

    public init() {}

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
        try Check.finite(transferEvery, "transfer_every")
        try Check.nonNegative(autoGranularity, "auto_granularity")
        try Check.finite(fastLR, "fast_lr")
        try Check.probability(inChopProb, "in_chop_prob")
        try Check.nonNegative(tailWeightening, "tail_weightening")
        try Check.atLeast(desiredBL, 1, "desired_bl")
    }
}

import Foundation

/// Builds a tile configuration for an algorithm and a device, as the reference simulator's
/// `build_config(algorithm, device)` does, with the paper's experiment settings.
public enum AlgorithmBuilder {
    /// - Parameters:
    ///   - device: the device of A (and of W for SGD and mixed precision).
    ///   - weightDevice: the device of W (C) for the transfer algorithms (default: `device`).
    ///   - io: forward, backward and transfer-read IO.
    public static func configuration(_ algorithm: AlgorithmName, device: DeviceConfig, weightDevice: DeviceConfig? = nil,
                                     io: IOParameters, options: AlgorithmOptions = AlgorithmOptions()) -> TileConfiguration {
        var update = UpdateParameters()
        update.desiredBL = options.desiredBL
        let wDevice = weightDevice ?? device
        var transferIO = io
        transferIO.noiseManagement = .none
        transferIO.boundManagement = .none
        func compound(_ kind: CompoundKind) -> CompoundConfig {
            var c = CompoundConfig(kind: kind, devices: [device, wDevice])
            c.transferForward = transferIO
            c.transferEvery = options.transferEvery
            c.unitsInMbatch = false
            c.fastLR = options.fastLR
            return c
        }
        switch algorithm {
        case .fp:
            return .floatingPoint
        case .sgd:
            return TileConfiguration(forward: io, backward: io, update: update, device: .single(device))
        case .mixedPrecision:
            return TileConfiguration(forward: io, backward: io, update: update,
                                     device: .compound(CompoundConfig(kind: .mixedPrecision, devices: [device])))
        case .tikiTaka:
            var c = compound(.transfer)
            c.scaleFastLR = true
            return TileConfiguration(forward: io, backward: io, update: update, device: .compound(c))
        case .ttv2, .cTTv2, .agad:
            var c = compound(algorithm == .agad ? .dynamic : .chopped)
            c.autoScale = options.autoScale
            c.autoGranularity = options.autoGranularity
            c.inChopProb = algorithm == .ttv2 ? 0 : options.inChopProb
            c.inChopRandom = options.inChopRandom
            if algorithm == .agad { c.tailWeightening = options.tailWeightening }
            return TileConfiguration(forward: io, backward: io, update: update, device: .compound(c))
        }
    }
}
