import CrossbarFoundation
import CrossbarDevices

extension CompoundConfig {
    static let transferFields: [ConfigField<CompoundConfig>] = [
        .init("gamma", \.gamma),
        .init("gamma_vec", \.gammaVec),
        .init("transfer_every", \.transferEvery),
        .init("no_self_transfer", \.noSelfTransfer),
        .init("transfer_every_vec", \.transferEveryVec),
        .init("units_in_mbatch", \.unitsInMbatch),
        .init("n_reads_per_transfer", \.nReadsPerTransfer),
        .init("transfer_columns", \.transferColumns),
        .init("with_reset_prob", \.withResetProb),
        .init("random_selection", \.randomSelection),
        .init("fast_lr", \.fastLR),
        .init("transfer_lr", \.transferLR),
        .init("transfer_lr_vec", \.transferLRVec),
        .init("scale_transfer_lr", \.scaleTransferLR),
        .init("scale_fast_lr", \.scaleFastLR),
        .init("transfer_forward", \.transferForward),
        .init("transfer_update", \.transferUpdate),
    ]
    static let bufferFields: [ConfigField<CompoundConfig>] = [
        .init("step", \.step),
        .init("momentum", \.momentum),
        .init("forget_buffer", \.forgetBuffer),
    ]
    static let choppedFields: [ConfigField<CompoundConfig>] = [
        .init("in_chop_prob", \.inChopProb),
        .init("in_chop_random", \.inChopRandom),
        .init("out_chop_prob", \.outChopProb),
        .init("buffer_granularity", \.bufferGranularity),
        .init("auto_granularity", \.autoGranularity),
        .init("auto_scale", \.autoScale),
        .init("auto_momentum", \.autoMomentum),
        .init("correct_gradient_magnitudes", \.correctGradientMagnitudes),
        .init("no_buffer", \.noBuffer),
    ]

    /// The JSON fields `kind` accepts (besides `"type"` and `"unit_cell_devices"`).
    public static func fields(for kind: CompoundKind) -> [ConfigField<CompoundConfig>] {
        switch kind {
        case .transfer:
            return transferFields
        case .buffered:
            return transferFields + bufferFields + [.init("thres_scale", \.thresScale)]
        case .chopped:
            return transferFields + bufferFields + choppedFields
        case .dynamic:
            return transferFields + bufferFields + choppedFields + [
                .init("tail_weightening", \.tailWeightening),
                .init("buffer_cap", \.bufferCap),
                .init("experimental_correct_accumulation", \.experimentalCorrectAccumulation),
            ]
        case .mixedPrecision:
            return [
                .init("transfer_every", \.transferEvery),
                .init("n_rows_per_transfer", \.nRowsPerTransfer),
                .init("random_row", \.randomRow),
                .init("granularity", \.granularity),
                .init("transfer_lr", \.transferLR),
                .init("n_x_bins", \.nXBins),
                .init("n_d_bins", \.nDBins),
                .init("stoc_round_x", \.stocRoundX),
                .init("stoc_round_d", \.stocRoundD),
            ]
        }
    }

    /// The key holding the devices: `unit_cell_devices`, or `device` for mixed precision.
    static func devicesKey(_ kind: CompoundKind) -> String { kind == .mixedPrecision ? "device" : "unit_cell_devices" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let kind: CompoundKind
        do { kind = try c.decode(CompoundKind.self, forKey: AnyCodingKey("type")) } catch let e as CrossbarError { throw e.prefixed(by: "type") }
        let devicesKey = Self.devicesKey(kind)
        let fields = Self.fields(for: kind)
        let known = Set(fields.map(\.name)).union(["type", devicesKey])
        for key in c.allKeys where !known.contains(key.stringValue) {
            throw CrossbarError.unknownKey(field: "", key: key.stringValue, allowed: ["type", devicesKey] + fields.map(\.name))
        }
        var devices: [DeviceConfig]
        do {
            if kind == .mixedPrecision {
                devices = [try c.decode(DeviceConfig.self, forKey: AnyCodingKey(devicesKey))]
            } else {
                devices = try c.decode([DeviceConfig].self, forKey: AnyCodingKey(devicesKey))
            }
        } catch let e as CrossbarError {
            throw e.prefixed(by: devicesKey)
        } catch DecodingError.keyNotFound {
            throw CrossbarError.invalidParameter(field: devicesKey, value: "missing", allowed: "the compound's devices")
        }
        self.init(kind: kind, devices: devices)
        for f in fields { try f.decode(&self, c) }
        try validate()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(kind, forKey: AnyCodingKey("type"))
        if kind == .mixedPrecision {
            try c.encode(unitCellDevices[0], forKey: AnyCodingKey(Self.devicesKey(kind)))
        } else {
            try c.encode(unitCellDevices, forKey: AnyCodingKey(Self.devicesKey(kind)))
        }
        for f in Self.fields(for: kind) { try f.encode(self, &c) }
    }
}
