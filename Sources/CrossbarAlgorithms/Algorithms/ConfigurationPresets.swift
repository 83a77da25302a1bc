import CrossbarFoundation
import CrossbarDevices

/// Named tile configurations (docs/algorithms.md §6), named like the reference simulator's preset
/// classes without the `Preset` suffix: single-device in-memory SGD (`ReRamSB`, …),
/// `TikiTaka*`, `TTv2*`, `ChoppedTTv2*`, `AGAD*`, `MixedPrecision*` per device preset, and `fp`.
/// All analog presets use `PresetIOParameters` for forward and backward (and, with noise and
/// bound management off, for transfer reads) and `PresetUpdateParameters`.
public enum ConfigurationPresets {
    /// Device presets that have the TT-family variants.
    static let transferDevices = ["ReRamES", "ReRamSB", "Capacitor", "EcRam", "EcRamMO", "Idealized"]
    static let mixedPrecisionDevices = transferDevices + ["GokmenVlasov", "PCM"]

    /// All names, in display order.
    public static let names: [String] = {
        var n = ["fp"]
        n += DevicePresets.names.filter { !$0.hasPrefix("ReRamArray") }
        n += transferDevices.map { "TikiTaka" + $0 }
        n += transferDevices.map { "TTv2" + $0 }
        n += transferDevices.map { "ChoppedTTv2" + $0 }
        n += transferDevices.map { "AGAD" + $0 }
        n += mixedPrecisionDevices.map { "MixedPrecision" + $0 }
        return n
    }()

    /// The configuration `name` (case-insensitive).
    public static func configuration(_ name: String) throws -> TileConfiguration {
        guard let canonical = names.first(where: { $0.lowercased() == name.lowercased() }) else {
            throw CrossbarError.unknownName(kind: "configuration", name: name, known: names)
        }
        return make(canonical)
    }

    /// What a named configuration is: its algorithm and its device.
    public struct Summary: Sendable, Equatable {
        public var name: String
        public var algorithm: AlgorithmName
        /// The JSON `"type"` of the configuration's device: a device model (in-memory SGD,
        /// floating point) or a compound kind.
        public var type: String
        /// The device preset (docs/devices.md, "Presets") the configuration is built on; nil for `fp`.
        public var devicePreset: String?
        /// The device model of that preset.
        public var deviceModel: DeviceModel

        public init(name: String, algorithm: AlgorithmName, type: String, devicePreset: String?, deviceModel: DeviceModel) {
            self.name = name
            self.algorithm = algorithm
            self.type = type
            self.devicePreset = devicePreset
            self.deviceModel = deviceModel
        }
    }

    /// The summary of configuration `name` (case-insensitive).
    public static func summary(_ name: String) throws -> Summary {
        let config = try configuration(name)
        let canonical = names.first { $0.lowercased() == name.lowercased() }!
        let prefixes: [(String, AlgorithmName)] = [("TikiTaka", .tikiTaka), ("TTv2", .ttv2), ("ChoppedTTv2", .cTTv2),
                                                   ("AGAD", .agad), ("MixedPrecision", .mixedPrecision)]
        var algorithm = AlgorithmName.sgd
        var preset: String? = canonical
        for (p, a) in prefixes where canonical.hasPrefix(p) {
            algorithm = a
            preset = String(canonical.dropFirst(p.count))
        }
        if canonical == "fp" { algorithm = .fp; preset = nil }
        switch config.device {
        case let .single(d):
            return Summary(name: canonical, algorithm: algorithm, type: d.model.rawValue, devicePreset: preset, deviceModel: d.model)
        case let .compound(c):
            return Summary(name: canonical, algorithm: algorithm, type: c.kind.rawValue, devicePreset: preset,
                           deviceModel: c.fastDevice.model)
        }
    }

    /// Parameters of the TT-family presets (docs/algorithms.md §6 tables).
    struct FamilyParameters {
        var fastLR: Float
        var autoGranularity: Float
        var desiredBL: Int
        var inChopProb: Float = 0
        var tailWeightening: Float = 5
    }

    static func ttv2(_ device: String) -> FamilyParameters {
        switch device {
        case "ReRamES", "ReRamSB": FamilyParameters(fastLR: 0.5, autoGranularity: 1000, desiredBL: 31)
        case "Capacitor": FamilyParameters(fastLR: 0.1, autoGranularity: 1000, desiredBL: 31)
        default: FamilyParameters(fastLR: 0.1, autoGranularity: 500, desiredBL: 100)
        }
    }

    static func chopped(_ device: String) -> FamilyParameters {
        switch device {
        case "ReRamES", "ReRamSB": FamilyParameters(fastLR: 0.5, autoGranularity: 1000, desiredBL: 31, inChopProb: 0.01)
        case "Capacitor": FamilyParameters(fastLR: 0.1, autoGranularity: 1000, desiredBL: 31, inChopProb: 0.01)
        case "EcRam": FamilyParameters(fastLR: 1.0, autoGranularity: 500, desiredBL: 100, inChopProb: 0.01)
        default: FamilyParameters(fastLR: 0.1, autoGranularity: 500, desiredBL: 100, inChopProb: 0.001)
        }
    }

    static func agad(_ device: String) -> FamilyParameters {
        switch device {
        case "ReRamES", "ReRamSB":
            FamilyParameters(fastLR: 0.5, autoGranularity: 1000, desiredBL: 31, inChopProb: 0.02, tailWeightening: 5)
        case "Capacitor":
            FamilyParameters(fastLR: 0.1, autoGranularity: 1000, desiredBL: 31, inChopProb: 0.01, tailWeightening: 20)
        case "EcRam":
            FamilyParameters(fastLR: 0.1, autoGranularity: 750, desiredBL: 31, inChopProb: 0.005, tailWeightening: 50)
        default:
            FamilyParameters(fastLR: 0.1, autoGranularity: 500, desiredBL: 100, inChopProb: 0.005, tailWeightening: 50)
        }
    }

    /// The preset device of the Tiki-Taka family (TikiTaka, TTv2, ChoppedTTv2, AGAD): the
    /// symmetry point is subtracted for ReRamSB (docs/devices.md, "Presets"–5.3).
    static func familyDevice(_ name: String) -> DeviceConfig {
        var d = DevicePresets.make(name)
        if name == "ReRamSB" { d.subtractSymmetryPoint = true }
        return d
    }

    static func analog(_ device: DeviceSpec, update: UpdateParameters = .preset) -> TileConfiguration {
        TileConfiguration(forward: .preset, backward: .preset, update: update, device: device)
    }

    static func make(_ name: String) -> TileConfiguration {
        if name == "fp" { return .floatingPoint }
        if DevicePresets.names.contains(name) { return analog(.single(DevicePresets.make(name))) }
        for prefix in ["TikiTaka", "TTv2", "ChoppedTTv2", "AGAD", "MixedPrecision"] where name.hasPrefix(prefix) {
            let deviceName = String(name.dropFirst(prefix.count))
            let device = familyDevice(deviceName)
            switch prefix {
            case "TikiTaka":
                var c = CompoundConfig(kind: .transfer, devices: [device, device])
                c.transferForward = .presetTransfer
                c.transferUpdate = .preset
                c.unitsInMbatch = true
                c.transferEvery = 1
                return analog(.compound(c))
            case "TTv2", "ChoppedTTv2", "AGAD":
                let p = prefix == "TTv2" ? ttv2(deviceName) : prefix == "AGAD" ? agad(deviceName) : chopped(deviceName)
                let algorithm: AlgorithmName = prefix == "TTv2" ? .ttv2 : prefix == "AGAD" ? .agad : .cTTv2
                var c = CompoundConfig(algorithm: algorithm, devices: [device, device])!
                c.transferForward = .presetTransfer
                c.transferUpdate = .singlePulse
                c.unitsInMbatch = false
                c.autoScale = true
                c.fastLR = p.fastLR
                c.autoGranularity = p.autoGranularity
                if algorithm.usesChoppers { c.inChopProb = p.inChopProb }
                if algorithm == .agad { c.tailWeightening = p.tailWeightening }
                var update = UpdateParameters.preset
                update.desiredBL = p.desiredBL
                return analog(.compound(c), update: update)
            default:
                // The reference's MixedPrecision presets use the plain preset device (only the
                // Tiki-Taka family subtracts the ReRamSB symmetry point).
                let c = CompoundConfig(kind: .mixedPrecision, devices: [DevicePresets.make(deviceName)])
                return analog(.compound(c))
            }
        }
        preconditionFailure("unknown configuration \(name)")
    }
}
