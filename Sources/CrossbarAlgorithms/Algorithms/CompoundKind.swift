import CrossbarFoundation

/// The training-algorithm compounds of docs/algorithms.md (JSON `"type"` values).
public enum CompoundKind: String, ConfigEnum {
    /// Tiki-Taka v1 (docs/algorithms.md–3.2): gradient on A, pulsed column transfers to C.
    case transfer = "transfer_compound"
    /// TTv2 with a digital buffer H (docs/algorithms.md).
    case buffered = "buffered_transfer_compound"
    /// Chopped-TTv2 (c-TTv2, docs/algorithms.md); with in_chop_prob 0 it is the reference simulator's
    /// TTv2 preset.
    case chopped = "chopped_transfer_compound"
    /// AGAD: chopped transfer with a dynamic reference (docs/algorithms.md).
    case dynamic = "dynamic_transfer_compound"
    /// Mixed precision: digital gradient accumulation χ, row transfers to the analog W (docs/algorithms.md).
    case mixedPrecision = "mixed_precision_compound"
}
