import CrossbarFoundation

/// Parameters of the pulsed update (docs/devices.md, "The pulsed update"), with the reference simulator's names and
/// defaults.
public struct UpdateParameters: ConfigRecord {
    /// Desired (maximal) pulse-train length BL (≥ 1). Default 31.
    public var desiredBL: Int = 31
    /// Always use BL = desired_bl (when update BL management is off). Default true.
    public var fixedBL = true
    /// Balance the x- and d-side probabilities by their maxima (update management). Default true.
    public var updateManagement = true
    /// Shorten BL per sample to ceil(expected max coincidences) (implies update management).
    /// Default true.
    public var updateBLManagement = true
    /// Scale of the d side in update management (> 0); smaller clips d earlier. Default 1.
    public var umGradScale: Float = 1
    /// How the update becomes pulses. Default stochastic_compressed.
    public var pulseType: PulseType = .stochasticCompressed
    /// Probability discretisation step (≤ 0 off; (0, 1] bin width; > 1 number of steps —
    /// converted to 1/res as the documentation intends; the reference CPU code does not,
    /// docs/devices.md, "Deviations from the reference simulator"). Default 0.
    public var res: Float = 0
    /// Stochastic rounding of the probability discretisation. Default false.
    public var stoRound = false
    /// Discretisation of x̃ for deterministic_implicit (same convention as res). Default 0.
    public var xResImplicit: Float = 0
    /// Discretisation of d̃ for deterministic_implicit (same convention as res). Default 0.
    public var dResImplicit: Float = 0

    public init() {}

    public static var fields: [ConfigField<UpdateParameters>] {
        [
            .init("desired_bl", \.desiredBL),
            .init("fixed_bl", \.fixedBL),
            .init("update_management", \.updateManagement),
            .init("update_bl_management", \.updateBLManagement),
            .init("um_grad_scale", \.umGradScale, range: ParameterRange(0, 1e6, lowerOpen: true, unit: "factor")),
            .init("pulse_type", \.pulseType),
            .init("res", \.res, range: .resolution),
            .init("sto_round", \.stoRound),
            .init("x_res_implicit", \.xResImplicit, range: .resolution),
            .init("d_res_implicit", \.dResImplicit, range: .resolution),
        ]
    }

    public func validate() throws {
        try Check.atLeast(desiredBL, 1, "desired_bl")
        if desiredBL > Self.maxDesiredBL {
            throw CrossbarError.invalidParameter(field: "desired_bl", value: "\(desiredBL)", allowed: "1…\(Self.maxDesiredBL)")
        }
        for field in Self.fields { try field.checkRange(of: self) }
    }

    /// The longest pulse train accepted (desired_bl) or produced (the unmanaged update of a
    /// learning rate above desired_bl·ε): 65 536 slots.
    public static let maxDesiredBL = 1 << 16

    /// Update management is on if requested or implied by update BL management (docs/devices.md, "The pulsed update").
    public var effectiveUpdateManagement: Bool { updateManagement || updateBLManagement }

    /// The reference simulator's `PresetUpdateParameters` (BL 31, update and BL management on).
    public static var preset: UpdateParameters { UpdateParameters() }

    /// The transfer-write parameters of the TTv2 family: one pulse per threshold crossing
    /// (desired_bl 1, update and BL management off).
    public static var singlePulse: UpdateParameters {
        var p = UpdateParameters()
        p.desiredBL = 1
        p.updateManagement = false
        p.updateBLManagement = false
        return p
    }
}
