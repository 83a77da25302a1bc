import CrossbarFoundation

/// The device models of docs/devices.md, "Device models" (JSON `"type"` values in snake_case).
public enum DeviceModel: String, ConfigEnum {
    /// Exact floating-point weight, updated by GEMM (no pulses, no bounds). docs/devices.md, "Device models".
    case floatingPoint = "floating_point"
    /// The reference simulator's IdealDevice: like floating_point (exact GEMM update).
    case ideal
    /// Constant step Δ± per pulse (docs/devices.md, "Device models" ConstantStep).
    case constantStep = "constant_step"
    /// Step linear in the weight: Δ±(1 − γ± w/R±) (docs/devices.md, "Device models" LinearStep).
    case linearStep = "linear_step"
    /// Soft bounds: Δ±(1 − w/b±) — a LinearStep with γ = 1 and per-device bounds.
    case softBounds = "soft_bounds"
    /// Soft bounds acting on the conductance g = w + reference (docs/devices.md, "Device models" SoftBoundsReference).
    case softBoundsReference = "soft_bounds_reference"
    /// Exponential step (docs/devices.md, "Device models" ExpStep).
    case expStep = "exp_step"
    /// Power-law step ((b_max − w)/R)^γ (docs/devices.md, "Device models" PowStep).
    case powStep = "pow_step"
    /// PowStep acting on g = w + reference, without write noise (docs/devices.md, "Device models" PowStepReference).
    case powStepReference = "pow_step_reference"
    /// Piecewise-linear step from node vectors (docs/devices.md, "Device models" PiecewiseStep).
    case piecewiseStep = "piecewise_step"

    /// True for devices updated by pulses (everything except floating_point and ideal).
    public var isPulsed: Bool { self != .floatingPoint && self != .ideal }

    /// True if the model supports write noise (docs/devices.md, "Write noise").
    public var supportsWriteNoise: Bool {
        switch self {
        case .linearStep, .softBounds, .softBoundsReference, .expStep, .powStep, .piecewiseStep: true
        default: false
        }
    }

    /// True if the model has a static reference (visible weight = conductance − reference).
    public var hasReference: Bool { self == .softBoundsReference || self == .powStepReference }
}
