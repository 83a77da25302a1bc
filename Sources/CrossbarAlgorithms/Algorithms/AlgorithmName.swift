import CrossbarFoundation

/// The in-memory training algorithms by short name (for the CLI, sweeps and experiments).
public enum AlgorithmName: String, ConfigEnum {
    /// In-memory SGD: one pulsed array (docs/devices.md, "The pulsed update").
    case sgd
    /// Tiki-Taka v1 (TransferCompound).
    case tikiTaka = "tiki-taka"
    /// TTv2: chopped transfer without choppers (the reference simulator's TTv2 presets).
    case ttv2
    /// Chopped-TTv2.
    case cTTv2 = "c-ttv2"
    /// AGAD.
    case agad
    /// Mixed precision.
    case mixedPrecision = "mixed-precision"
    /// Floating point (no device).
    case fp
}
