import CrossbarFoundation

/// How an analog layer maps its logical weights and bias onto its tile (docs/training.md, "Training semantics", aihwkit's
/// `MappingParameter`). JSON keys follow aihwkit.
public struct AnalogLayerOptions: ConfigRecord {
    /// Bias in digital floating point, trained by digital SGD (default true). When false the
    /// bias is an extra tile column driven by a constant input 1 and trained like the weights.
    public var digitalBias = true
    /// ω of weight scaling (≥ 0; 0 = off, the default). When ω > 0, programming weights W
    /// stores W/s on the tile with s = max|W|/ω (global; s = 1 when W = 0), the forward output
    /// is multiplied by s, the backward input by s and the tile update receives d/s, so SGD
    /// acts on the logical weight s·W_analog.
    public var weightScalingOmega: Float = 0

    public init() {}

    public init(digitalBias: Bool = true, weightScalingOmega: Float = 0) {
        self.digitalBias = digitalBias
        self.weightScalingOmega = weightScalingOmega
    }

    public static var fields: [ConfigField<AnalogLayerOptions>] {
        [.init("digital_bias", \.digitalBias), .init("weight_scaling_omega", \.weightScalingOmega)]
    }

    public func validate() throws {
        try Check.nonNegative(weightScalingOmega, "weight_scaling_omega")
    }
}
