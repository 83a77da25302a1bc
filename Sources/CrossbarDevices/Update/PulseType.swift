import CrossbarFoundation

/// How a rank-one update is turned into device pulses (docs/devices.md, "The pulsed update"–1.4).
public enum PulseType: String, ConfigEnum {
    /// Stochastic pulse trains, one coincidence = one pulse (default).
    case stochasticCompressed = "stochastic_compressed"
    /// Same distribution as stochastic_compressed; the reference simulator only orders the
    /// coincidences differently (positive inputs first). Implemented identically.
    case stochastic
    /// Deterministic pulse counts from rounded mean counts.
    case meanCount = "mean_count"
    /// Deterministic counts n_ij = rint(BL · d̃_i · x̃_j) from discretised probabilities.
    case deterministicImplicit = "deterministic_implicit"
    /// Exact floating-point update, no device at all (no bounds).
    case none
    /// Exact floating-point update, then clipped to the device bounds (write noise redrawn).
    case noneWithDevice = "none_with_device"
}
