import CrossbarFoundation

/// JSON coding of ``DeviceConfig``: `"type"` plus exactly the fields of that model (docs/devices.md, "Device models"
/// names); unknown keys and invalid values are errors.
extension DeviceConfig {
    static let commonFields: [ConfigField<DeviceConfig>] = [
        .init("dw_min", \.dwMin, range: ParameterRange(1e-7, 10, unit: "weight units")),
        .init("dw_min_dtod", \.dwMinDtod, range: .relativeSpread),
        .init("dw_min_dtod_log_normal", \.dwMinDtodLogNormal),
        .init("dw_min_std", \.dwMinStd, range: ParameterRange(0, 100, unit: "relative to the step")),
        .init("w_max", \.wMax, range: ParameterRange(0, 100, unit: "weight units")),
        .init("w_min", \.wMin, range: ParameterRange(-100, 0, unit: "weight units")),
        .init("w_max_dtod", \.wMaxDtod, range: .relativeSpread),
        .init("w_min_dtod", \.wMinDtod, range: .relativeSpread),
        .init("up_down", \.upDown, range: ParameterRange(-1, 1, unit: "relative to dw_min")),
        .init("up_down_dtod", \.upDownDtod, range: ParameterRange(0, 10, unit: "relative to dw_min")),
        .init("enforce_consistency", \.enforceConsistency),
        .init("perfect_bias", \.perfectBias),
        .init("corrupt_devices_prob", \.corruptDevicesProb, range: .probability),
        .init("corrupt_devices_range", \.corruptDevicesRange, range: .weightMagnitude),
        .init("lifetime", \.lifetime, range: ParameterRange(0, 1e12, unit: "mini-batches; 0 = no decay")),
        .init("lifetime_dtod", \.lifetimeDtod, range: .relativeSpread),
        .init("diffusion", \.diffusion, range: .weightMagnitude),
        .init("diffusion_dtod", \.diffusionDtod, range: .relativeSpread),
        .init("reset", \.reset, range: .weight),
        .init("reset_dtod", \.resetDtod, range: .weightMagnitude),
        .init("reset_std", \.resetStd, range: .weightMagnitude),
        .init("construction_seed", \.constructionSeed),
    ]
    static let writeNoiseFields: [ConfigField<DeviceConfig>] = [
        .init("write_noise_std", \.writeNoiseStd, range: ParameterRange(0, 1000, unit: "relative to dw_min")),
        .init("apply_write_noise_on_set", \.applyWriteNoiseOnSet),
    ]
    static let reverseFields: [ConfigField<DeviceConfig>] = [
        .init("reverse_up", \.reverseUp),
        .init("reverse_down", \.reverseDown),
        .init("reverse_offset", \.reverseOffset, range: .weight),
    ]
    static let referenceFields: [ConfigField<DeviceConfig>] = [
        .init("reference_mean", \.referenceMean, range: .weight),
        .init("reference_std", \.referenceStd, range: .weightMagnitude),
        .init("subtract_symmetry_point", \.subtractSymmetryPoint),
    ]
    static let powFields: [ConfigField<DeviceConfig>] = [
        .init("pow_gamma", \.powGamma, range: ParameterRange(0, 100, lowerOpen: true, unit: "exponent")),
        .init("pow_gamma_dtod", \.powGammaDtod, range: .relativeSpread),
        .init("pow_up_down", \.powUpDown, range: ParameterRange(-10, 10, unit: "relative")),
        .init("pow_up_down_dtod", \.powUpDownDtod, range: ParameterRange(0, 10, unit: "relative")),
    ]

    /// The JSON fields `model` accepts (besides `"type"`).
    public static func fields(for model: DeviceModel) -> [ConfigField<DeviceConfig>] {
        switch model {
        case .floatingPoint, .ideal:
            return [.init("diffusion", \.diffusion, range: .weightMagnitude), .init("lifetime", \.lifetime, range: ParameterRange(0, 1e12, unit: "mini-batches; 0 = no decay")), .init("reset_std", \.resetStd, range: .weightMagnitude)]
        case .constantStep:
            return commonFields
        case .linearStep:
            return commonFields + writeNoiseFields + [
                .init("mult_noise", \.multNoise),
                .init("gamma_up", \.gammaUp, range: ParameterRange(-100, 100, unit: "slope factor (exp_step: exponent)")),
                .init("gamma_down", \.gammaDown, range: ParameterRange(-100, 100, unit: "slope factor (exp_step: exponent)")),
                .init("gamma_up_dtod", \.gammaUpDtod, range: ParameterRange(0, 10, unit: "absolute")),
                .init("gamma_down_dtod", \.gammaDownDtod, range: ParameterRange(0, 10, unit: "absolute")),
                .init("allow_increasing", \.allowIncreasing),
                .init("mean_bound_reference", \.meanBoundReference),
            ] + reverseFields
        case .softBounds:
            return commonFields + writeNoiseFields + [.init("mult_noise", \.multNoise)] + reverseFields
        case .softBoundsReference:
            return commonFields + writeNoiseFields + [
                .init("mult_noise", \.multNoise),
                .init("slope_up_dtod", \.slopeUpDtod, range: .relativeSpread),
                .init("slope_down_dtod", \.slopeDownDtod, range: .relativeSpread),
            ] + referenceFields
        case .expStep:
            return commonFields + writeNoiseFields + [
                .init("A_up", \.aUp, range: ParameterRange(-100, 100, unit: "exp_step shape")),
                .init("A_down", \.aDown, range: ParameterRange(-100, 100, unit: "exp_step shape")),
                .init("gamma_up", \.gammaUp, range: ParameterRange(-100, 100, unit: "slope factor (exp_step: exponent)")),
                .init("gamma_down", \.gammaDown, range: ParameterRange(-100, 100, unit: "slope factor (exp_step: exponent)")),
                .init("a", \.expA, range: ParameterRange(-100, 100, unit: "exp_step shape")),
                .init("b", \.expB, range: ParameterRange(-100, 100, unit: "exp_step shape")),
                .init("dw_min_std_add", \.dwMinStdAdd, range: ParameterRange(-100, 100, unit: "weight units")),
                .init("dw_min_std_slope", \.dwMinStdSlope, range: ParameterRange(-100, 100, unit: "relative to the weight")),
            ]
        case .powStep:
            return commonFields + writeNoiseFields + powFields
        case .powStepReference:
            return commonFields + powFields + referenceFields + [.init("n_estimation_steps", \.nEstimationSteps)]
        case .piecewiseStep:
            return commonFields + writeNoiseFields + [
                .init("piecewise_up", \.piecewiseUp, elementRange: ParameterRange(0, 100, unit: "relative step size")),
                .init("piecewise_down", \.piecewiseDown, elementRange: ParameterRange(0, 100, unit: "relative step size")),
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
