import CrossbarFoundation

/// The training-algorithm compounds of spec §3 (JSON `"type"` values).
public enum CompoundKind: String, ConfigEnum {
    /// Tiki-Taka v1 (spec §3.1–3.2): gradient on A, pulsed column transfers to C.
    case transfer = "transfer_compound"
    /// TTv2 with a digital buffer H (spec §3.3).
    case buffered = "buffered_transfer_compound"
    /// Chopped-TTv2 (c-TTv2, spec §3.4); with in_chop_prob 0 it is the reference simulator's
    /// TTv2 preset.
    case chopped = "chopped_transfer_compound"
    /// AGAD: chopped transfer with a dynamic reference (spec §3.5).
    case dynamic = "dynamic_transfer_compound"
    /// Mixed precision: digital gradient accumulation χ, row transfers to the analog W (§3.6).
    case mixedPrecision = "mixed_precision_compound"
}
