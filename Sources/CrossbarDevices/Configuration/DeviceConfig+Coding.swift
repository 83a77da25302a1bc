import CrossbarFoundation

/// JSON coding of ``DeviceConfig``: `"type"` plus exactly the fields of that model (docs/devices.md, "Device models"
/// names); unknown keys and invalid values are errors.
extension DeviceConfig {
    static let commonFields: [ConfigField<DeviceConfig>] = [
        .init("dw_min", \.dwMin),
        .init("dw_min_dtod", \.dwMinDtod),
        .init("dw_min_dtod_log_normal", \.dwMinDtodLogNormal),
        .init("dw_min_std", \.dwMinStd),
        .init("w_max", \.wMax),
        .init("w_min", \.wMin),
        .init("w_max_dtod", \.wMaxDtod),
        .init("w_min_dtod", \.wMinDtod),
        .init("up_down", \.upDown),
        .init("up_down_dtod", \.upDownDtod),
        .init("enforce_consistency", \.enforceConsistency),
        .init("perfect_bias", \.perfectBias),
        .init("corrupt_devices_prob", \.corruptDevicesProb),
        .init("corrupt_devices_range", \.corruptDevicesRange),
        .init("lifetime", \.lifetime),
        .init("lifetime_dtod", \.lifetimeDtod),
        .init("diffusion", \.diffusion),
        .init("diffusion_dtod", \.diffusionDtod),
        .init("reset", \.reset),
        .init("reset_dtod", \.resetDtod),
        .init("reset_std", \.resetStd),
        .init("construction_seed", \.constructionSeed),
    ]
    static let writeNoiseFields: [ConfigField<DeviceConfig>] = [
        .init("write_noise_std", \.writeNoiseStd),
        .init("apply_write_noise_on_set", \.applyWriteNoiseOnSet),
    ]
    static let reverseFields: [ConfigField<DeviceConfig>] = [
        .init("reverse_up", \.reverseUp),
        .init("reverse_down", \.reverseDown),
        .init("reverse_offset", \.reverseOffset),
    ]
    static let referenceFields: [ConfigField<DeviceConfig>] = [
        .init("reference_mean", \.referenceMean),
        .init("reference_std", \.referenceStd),
        .init("subtract_symmetry_point", \.subtractSymmetryPoint),
    ]
    static let powFields: [ConfigField<DeviceConfig>] = [
        .init("pow_gamma", \.powGamma),
        .init("pow_gamma_dtod", \.powGammaDtod),
        .init("pow_up_down", \.powUpDown),
        .init("pow_up_down_dtod", \.powUpDownDtod),
    ]

    /// The JSON fields `model` accepts (besides `"type"`).
    public static func fields(for model: DeviceModel) -> [ConfigField<DeviceConfig>] {
        switch model {
        case .floatingPoint, .ideal:
            return [.init("diffusion", \.diffusion), .init("lifetime", \.lifetime), .init("reset_std", \.resetStd)]
        case .constantStep:
            return commonFields
        case .linearStep:
            return commonFields + writeNoiseFields + [
                .init("mult_noise", \.multNoise),
                .init("gamma_up", \.gammaUp),
                .init("gamma_down", \.gammaDown),
                .init("gamma_up_dtod", \.gammaUpDtod),
                .init("gamma_down_dtod", \.gammaDownDtod),
                .init("allow_increasing", \.allowIncreasing),
                .init("mean_bound_reference", \.meanBoundReference),
            ] + reverseFields
        case .softBounds:
            return commonFields + writeNoiseFields + [.init("mult_noise", \.multNoise)] + reverseFields
        case .softBoundsReference:
            return commonFields + writeNoiseFields + [
                .init("mult_noise", \.multNoise),
                .init("slope_up_dtod", \.slopeUpDtod),
                .init("slope_down_dtod", \.slopeDownDtod),
            ] + referenceFields
        case .expStep:
            return commonFields + writeNoiseFields + [
                .init("A_up", \.aUp),
                .init("A_down", \.aDown),
                .init("gamma_up", \.gammaUp),
                .init("gamma_down", \.gammaDown),
                .init("a", \.expA),
                .init("b", \.expB),
                .init("dw_min_std_add", \.dwMinStdAdd),
                .init("dw_min_std_slope", \.dwMinStdSlope),
            ]
        case .powStep:
            return commonFields + writeNoiseFields + powFields
        case .powStepReference:
            return commonFields + powFields + referenceFields + [.init("n_estimation_steps", \.nEstimationSteps)]
        case .piecewiseStep:
            return commonFields + writeNoiseFields + [
                .init("piecewise_up", \.piecewiseUp),
                .init("piecewise_down", \.piecewiseDown),
            ]
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let typeKey = AnyCodingKey("type")
        guard c.contains(typeKey) else {
            throw CrossbarError.invalidParameter(field: "type", value: "missing",
                                                 allowed: DeviceModel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let model: DeviceModel
        do { model = try c.decode(DeviceModel.self, forKey: typeKey) } catch let e as CrossbarError { throw e.prefixed(by: "type") }
        self.init(model: model)
        let fields = Self.fields(for: model)
        let known = Set(fields.map(\.name)).union(["type"])
        for key in c.allKeys where !known.contains(key.stringValue) {
            throw CrossbarError.unknownKey(field: "", key: key.stringValue, allowed: ["type"] + fields.map(\.name))
        }
        for f in fields { try f.decode(&self, c) }
        try validate()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(model, forKey: AnyCodingKey("type"))
        for f in Self.fields(for: model) { try f.encode(self, &c) }
    }

    /// The full, resolved JSON of this device.
    public func toJSON() -> String { JSONCoding.encodeString(self) }
}
