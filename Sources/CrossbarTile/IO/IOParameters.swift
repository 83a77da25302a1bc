import CrossbarFoundation

/// How the periphery scales inputs before the DAC (docs/io.md step 2).
public enum NoiseManagement: String, ConfigEnum {
    /// No scaling: inputs go to the DAC as they are.
    case none
    /// Divide by max|x| of the sample (saturated at `nm_thres` when > 0). Default.
    case absMax = "abs_max"
    /// Divide by max(x) of the sample (saturated at `nm_thres` when > 0).
    case max
    /// Divide by the constant `nm_thres` (1 when `nm_thres` ≤ 0).
    case constant
    /// Divide by a running average of max|x| (rate `nm_decay`), kept per tile and direction.
    case averageAbsMax = "average_abs_max"
}

/// How the periphery reacts to saturated outputs (docs/io.md step 3; forward only).
public enum BoundManagement: String, ConfigEnum {
    /// Keep clipped outputs.
    case none
    /// Halve the input scale (β ← 2β) and recompute the sample with fresh noise until no
    /// output clips or a limit (`max_bm_factor`, `max_bm_res`) is reached. Default.
    case iterative
    /// Like iterative, but the second pass first switches to the worst-case
    /// (`abs_max_np_sum`) input scale with β reset to 1.
    case iterativeWorstCase = "iterative_worst_case"
}

/// Output-referred weight (read) noise of the MVM (docs/io.md step 6).
public enum WeightNoiseType: String, ConfigEnum {
    case none
    /// y_i += w_noise · ‖v‖₂ · ξ_i
    case additiveConstant = "additive_constant"
    /// y_i += w_noise · sqrt(Σ_j |w_ij| v_j²) · ξ_i
    case pcmRead = "pcm_read"
}

/// Non-idealities of one analog matrix-vector product (forward, backward or transfer read),
/// with the reference simulator's names and defaults (docs/io.md).
///
/// Units: inputs are normalised to the DAC range ±`inp_bound` after noise management; outputs
/// are in units of "weight × normalised input", clipped to ±`out_bound`. Resolutions follow
/// the spec's convention: ≤ 0 off, (0, 1] a bin width as a fraction of the full range
/// (step = res · 2 · bound), > 1 a number of steps (res ← 1/res).
public struct IOParameters: ConfigRecord {
    /// Exact GEMM, only `out_scale` applied. Default false.
    public var isPerfect = false
    /// DAC resolution. Default 1/126 (7 bits: 127 levels on [−1, 1]).
    public var inpRes: Float = 1.0 / 126.0
    /// Stochastic rounding in the DAC. Default false.
    public var inpStoRound = false
    /// DAC range ±inp_bound (> 0; must be 1 when noise management is on). Default 1.
    public var inpBound: Float = 1.0
    /// Std of Gaussian noise added to each input after the DAC (≥ 0). Default 0.
    public var inpNoise: Float = 0
    /// Negative inputs are multiplied by (1 − inp_asymmetry). Default 0.
    public var inpAsymmetry: Float = 0
    /// ADC resolution. Default 1/510 (9 bits).
    public var outRes: Float = 1.0 / 510.0
    /// Stochastic rounding in the ADC. Default false.
    public var outStoRound = false
    /// ADC range ±out_bound (≤ 0: unbounded, no ADC quantisation). Default 12.
    public var outBound: Float = 12
    /// Std of additive Gaussian output noise (≥ 0). Default 0.06.
    public var outNoise: Float = 0.06
    /// Relative device-to-device spread of `out_noise` across output lines (≥ 0), drawn once
    /// per tile from the construction stream. Default 0.
    public var outNoiseStd: Float = 0
    /// Negative outputs are multiplied by (1 − out_asymmetry). Default 0.
    public var outAsymmetry: Float = 0
    /// Fixed digital factor on the output (> 0). Default 1.
    public var outScale: Float = 1
    /// Scale of the output-referred weight noise (≥ 0). Default 0.
    public var wNoise: Float = 0
    /// Type of weight noise. Default none.
    public var wNoiseType: WeightNoiseType = .none
    /// Input scaling before the DAC. Default abs_max.
    public var noiseManagement: NoiseManagement = .absMax
    /// Saturation / constant value of noise management (≥ 0). Default 0.
    public var nmThres: Float = 0
    /// Rate of the running max|x| of average_abs_max (in (0, 1]). The reference simulator
    /// keeps this C++-only at 1e-3; exposed here.
    public var nmDecay: Float = 1e-3
    /// Assumed maximal |weight| of the worst-case input scale of iterative_worst_case
    /// (C++-only in the reference, 0.6; exposed here).
    public var nmAssumedWmax: Float = 0.6
    /// Output bound management (forward only). Default iterative.
    public var boundManagement: BoundManagement = .iterative
    /// Bound management stops once β > max_bm_factor (≥ 1). Default 1000.
    public var maxBmFactor: Float = 1000
    /// Bound management stops once β > max_bm_res / DAC step (> 0). Default 0.25.
    public var maxBmRes: Float = 0.25
    /// Bound management also reacts to outputs below −out_bound. Default true.
    public var bmTestNegativeBound = true
    /// Scale of the IR-drop model (≥ 0, 0 = off). Default 0.
    public var irDrop: Float = 0
    /// Wire-to-device conductance ratio of the IR-drop model (> 0). Default 1/0.35/5e−6.
    public var irDropGRatio: Float = 1.0 / 0.35 / 5e-6

    public init() {}

    public static var fields: [ConfigField<IOParameters>] {
        [
            .init("is_perfect", \.isPerfect),
            .init("inp_res", \.inpRes, range: .resolution),
            .init("inp_sto_round", \.inpStoRound),
            .init("inp_bound", \.inpBound, range: ParameterRange(0, 1000, lowerOpen: true, unit: "normalised input units")),
            .init("inp_noise", \.inpNoise, range: ParameterRange(0, 100, unit: "normalised input units")),
            .init("inp_asymmetry", \.inpAsymmetry, range: .asymmetry),
            .init("out_res", \.outRes, range: .resolution),
            .init("out_sto_round", \.outStoRound),
            .init("out_bound", \.outBound, range: ParameterRange(-1, 1e6, unit: "output units; ≤ 0 = unbounded")),
            .init("out_noise", \.outNoise, range: ParameterRange(0, 1000, unit: "output units")),
            .init("out_noise_std", \.outNoiseStd, range: .relativeSpread),
            .init("out_asymmetry", \.outAsymmetry, range: .asymmetry),
            .init("out_scale", \.outScale, range: ParameterRange(0, 1e6, lowerOpen: true, unit: "factor")),
            .init("w_noise", \.wNoise, range: .weightMagnitude),
            .init("w_noise_type", \.wNoiseType),
            .init("noise_management", \.noiseManagement),
            .init("nm_thres", \.nmThres, range: ParameterRange(0, 1e6, unit: "input units; 0 = off")),
            .init("nm_decay", \.nmDecay, range: ParameterRange(0, 1, lowerOpen: true, unit: "fraction per mini-batch")),
            .init("nm_assumed_wmax", \.nmAssumedWmax, range: ParameterRange(0, 100, lowerOpen: true, unit: "weight units")),
            .init("bound_management", \.boundManagement),
            .init("max_bm_factor", \.maxBmFactor, range: ParameterRange(1, 1e9, unit: "factor")),
            .init("max_bm_res", \.maxBmRes, range: ParameterRange(0, 1, lowerOpen: true, unit: "fraction of the range")),
            .init("bm_test_negative_bound", \.bmTestNegativeBound),
            .init("ir_drop", \.irDrop, range: ParameterRange(0, 100, unit: "scale; 0 = off")),
            .init("ir_drop_g_ratio", \.irDropGRatio, range: ParameterRange(0, 1e12, lowerOpen: true, unit: "ratio")),
        ]
    }

    /// Every numeric field within its documented range (docs/parameters.md), then the
    /// relations between fields.
    public func validate() throws {
        for field in Self.fields { try field.checkRange(of: self) }
        if noiseManagement != .none && inpBound != 1 && !isPerfect {
            throw CrossbarError.invalidParameter(field: "inp_bound", value: "\(inpBound)",
                                                 allowed: "1 when noise_management is not none")
        }
    }

    /// Effective bin width as a fraction of the range (docs/io.md): res > 1 ⇒ 1/res, ≤ 0 ⇒ 0.
    @inlinable package static func scaledResolution(_ res: Float) -> Float { res > 1 ? 1 / res : max(res, 0) }

    /// DAC step in normalised input units (0 = no quantisation).
    public var inputStep: Float { IOParameters.scaledResolution(inpRes) * 2 * inpBound }

    /// ADC step in output units (0 = no quantisation, also when out_bound ≤ 0).
    public var outputStep: Float { outBound > 0 ? IOParameters.scaledResolution(outRes) * 2 * outBound : 0 }

    /// A perfect (noise-free, exact) IO.
    public static var perfect: IOParameters { var p = IOParameters(); p.isPerfect = true; return p }

    /// The reference simulator's `PresetIOParameters` (docs/io.md): 7-bit DAC, 9-bit ADC,
    /// out_bound 20, out_noise 0.1, abs_max noise management, iterative bound management.
    public static var preset: IOParameters {
        var p = IOParameters()
        p.outBound = 20
        p.outNoise = 0.1
        return p
    }

    /// `PresetIOParameters` for transfer reads: noise and bound management off.
    public static var presetTransfer: IOParameters {
        var p = preset
        p.noiseManagement = .none
        p.boundManagement = .none
        return p
    }

    /// The reference simulator's `StandardIOParameters` (8-bit DAC and ADC, out_bound 10,
    /// out_noise 0.04).
    public static var standard: IOParameters {
        var p = IOParameters()
        p.inpRes = 1.0 / 254.0
        p.outRes = 1.0 / 254.0
        p.outBound = 10
        p.outNoise = 0.04
        return p
    }
}
