/// All parameters of one device model, with the reference simulator's names, meanings and
/// defaults (docs/devices.md, "Device models"). Which fields a model accepts depends on ``model``; JSON holds only those
/// (plus `"type"`), and any other key is an error.
///
/// Units: weights, bounds and steps are in normalised weight units (the conductance range of a
/// device maps to about [w_min, w_max]). `*_dtod` parameters are device-to-device spreads drawn
/// once at construction (relative unless stated); `*_std` parameters are cycle-to-cycle noise
/// drawn at every pulse (relative to the step unless stated).
public struct DeviceConfig: Sendable, Equatable, Codable {
    public var model: DeviceModel

    // MARK: Common pulsed-device parameters (docs/devices.md, "Common parameters")
    /// Mean step size ε of one pulse (> 0). Default 0.001.
    public var dwMin: Float = 0.001
    /// Device-to-device spread of the step size (relative, ≥ 0). Default 0.3.
    public var dwMinDtod: Float = 0.3
    /// Step gain drawn log-normally, exp(σ ξ), instead of 1 + σ ξ. Default false.
    public var dwMinDtodLogNormal = false
    /// Cycle-to-cycle noise of each step (relative to the step, ≥ 0). Default 0.3.
    public var dwMinStd: Float = 0.3
    /// Mean upper bound (≥ 0). Default 0.6.
    public var wMax: Float = 0.6
    /// Mean lower bound (≤ 0). Default −0.6.
    public var wMin: Float = -0.6
    /// Device-to-device spread of the upper bound (relative, ≥ 0). Default 0.3.
    public var wMaxDtod: Float = 0.3
    /// Device-to-device spread of the lower bound (relative, ≥ 0). Default 0.3.
    public var wMinDtod: Float = 0.3
    /// Systematic up/down asymmetry: > 0 shrinks down steps by up_down·dw_min, < 0 shrinks up
    /// steps (docs/devices.md, "Device-to-device sampling"). Default 0.
    public var upDown: Float = 0
    /// Device-to-device spread of the asymmetry (in units of dw_min, ≥ 0). Default 0.01.
    public var upDownDtod: Float = 0.01
    /// abs() of sampled steps, order and signs of bounds fixed. Default true.
    public var enforceConsistency = true
    /// The last column (analog bias) is ideal: steps dw_min, bounds ×100. Default false.
    public var perfectBias = false
    /// Fraction of stuck ("corrupt") devices, in [0, 1]. Default 0.
    public var corruptDevicesProb: Float = 0
    /// Range of the stuck values (±range, ≥ 0). Default 0.1.
    public var corruptDevicesRange: Float = 0.1
    /// Retention time constant in mini-batches (0 = no decay). Default 0.
    public var lifetime: Float = 0
    /// Device-to-device spread of the lifetime (relative). Default 0.
    public var lifetimeDtod: Float = 0
    /// Std of the Gaussian diffusion per mini-batch (absolute, ≥ 0). Default 0.
    public var diffusion: Float = 0
    /// Device-to-device spread of the diffusion (relative). Default 0.
    public var diffusionDtod: Float = 0
    /// Mean reset value (absolute). Default 0.
    public var reset: Float = 0
    /// Device-to-device spread of the reset value (additive, absolute). Default 0.
    public var resetDtod: Float = 0
    /// Cycle-to-cycle std of a reset (absolute). Default 0.01.
    public var resetStd: Float = 0.01
    /// Seed of the device-to-device draws: 0 derives them from the run's master seed; any other
    /// value makes them depend on this seed only. Default 0.
    public var constructionSeed: UInt64 = 0

    // MARK: Write noise (docs/devices.md, "Write noise")
    /// Std of the read-visible write noise, relative to dw_min (≥ 0). Default 0.
    public var writeNoiseStd: Float = 0
    /// Draw write noise after set_weights too. Default true.
    public var applyWriteNoiseOnSet = true

    // MARK: LinearStep / SoftBounds / SoftBoundsReference
    /// Cycle-to-cycle noise multiplies the whole (state-dependent) step (true) or only the
    /// constant part (false). Default true, except soft_bounds_reference: false.
    public var multNoise = true
    /// LinearStep slope factor γ⁺ (exp_step: exponent γ_up). Default 0 (exp_step 12.44625).
    public var gammaUp: Float = 0
    /// LinearStep slope factor γ⁻ (exp_step: exponent γ_down). Default 0 (exp_step 12.78785).
    public var gammaDown: Float = 0
    /// Device-to-device spread of γ⁺ (absolute). Default 0.05.
    public var gammaUpDtod: Float = 0.05
    /// Device-to-device spread of γ⁻ (absolute). Default 0.05.
    public var gammaDownDtod: Float = 0.05
    /// Allow negative sampled slopes (steps growing toward the bound). Default false.
    public var allowIncreasing = false
    /// Slopes refer to the mean bounds w_max/w_min (true) or each device's bounds. Default true.
    public var meanBoundReference = true
    /// Up steps shrink toward the lower bound instead (needs mult_noise). Default false.
    public var reverseUp = false
    /// Down steps shrink toward the upper bound instead (needs mult_noise). Default false.
    public var reverseDown = false
    /// Offset of the reversed reference bound. Default 0.01.
    public var reverseOffset: Float = 0.01

    // MARK: SoftBoundsReference / PowStepReference
    /// Device-to-device spread of the up slope, expressed through b_max (relative). Default 0.
    public var slopeUpDtod: Float = 0
    /// Device-to-device spread of the down slope, expressed through b_min (relative). Default 0.
    public var slopeDownDtod: Float = 0
    /// Mean of the static reference conductance (absolute). Default 0.
    public var referenceMean: Float = 0
    /// Device-to-device std of the reference (absolute; the paper's σ_r). Default 0.
    public var referenceStd: Float = 0
    /// Add each device's symmetry point to its reference. Default false.
    public var subtractSymmetryPoint = false
    /// Noise-free pulse pairs of the iterative symmetry-point estimate (≤ 0: automatic,
    /// min(round(10·R/min(Δ⁺,Δ⁻)), 10000)). Default −1.
    public var nEstimationSteps: Int = -1

    // MARK: ExpStep
    public var aUp: Float = 0.00081
    public var aDown: Float = 0.36833
    /// ExpStep shape parameter a. Default 0.244.
    public var expA: Float = 0.244
    /// ExpStep shape parameter b. Default 0.2425.
    public var expB: Float = 0.2425
    /// Additive part of the complex cycle-to-cycle noise (absolute). Default 0.
    public var dwMinStdAdd: Float = 0
    /// Weight-proportional part of the complex cycle-to-cycle noise. Default 0.
    public var dwMinStdSlope: Float = 0

    // MARK: PowStep
    /// Exponent γ of the power-law step (> 0). Default 1.
    public var powGamma: Float = 1
    /// Device-to-device spread of γ (relative). Default 0.1.
    public var powGammaDtod: Float = 0.1
    /// Systematic up/down asymmetry of γ. Default 0.
    public var powUpDown: Float = 0
    /// Device-to-device spread of the γ asymmetry. Default 0.
    public var powUpDownDtod: Float = 0

    // MARK: PiecewiseStep
    /// Relative up-step sizes at K+1 equidistant nodes over [b_min, b_max]. Default [1].
    public var piecewiseUp: [Float] = [1]
    /// Relative down-step sizes at the same nodes. Default [1].
    public var piecewiseDown: [Float] = [1]

    /// The defaults of `model` (docs/devices.md, "Device models"; model-specific defaults applied).
    public init(model: DeviceModel) {
        self.model = model
        switch model {
        case .softBoundsReference:
            multNoise = false
        case .expStep:
            gammaUp = 12.44625
            gammaDown = 12.78785
        default:
            break
        }
    }
}
