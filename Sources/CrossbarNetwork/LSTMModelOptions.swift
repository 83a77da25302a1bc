import CrossbarFoundation

/// The shape and regularisation of an ``LSTMCharacterModel`` (defaults: the paper's
/// "LSTM2-64WP" recipe — 2 layers of hidden size 64, dropout 0.2, gradient-norm clip 1).
public struct LSTMModelOptions: ConfigRecord, Hashable {
    /// H: hidden size of every recurrent layer (1…4096). Default 64.
    public var hiddenSize = 64
    /// Number of stacked recurrent layers (1…16). Default 2.
    public var layers = 2
    /// Dropout probability p ∈ [0, 1) on the output of every recurrent layer but the last,
    /// during training only (kept values are scaled by 1/(1 − p)). Default 0.2.
    public var dropout: Float = 0.2
    /// Maximum L2 norm of the gradient of all digital parameters (the digital biases) together,
    /// applied before their SGD step (0 = no clipping). Default 1, as the reference's
    /// `clip_grad_norm_(1.0)`, which touches only digitally stored parameters of analog layers.
    public var gradientClipNorm: Float = 1

    public init() {}

    public init(hiddenSize: Int = 64, layers: Int = 2, dropout: Float = 0.2, gradientClipNorm: Float = 1) {
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.dropout = dropout
        self.gradientClipNorm = gradientClipNorm
    }

    public static var fields: [ConfigField<LSTMModelOptions>] {
        [.init("hidden_size", \.hiddenSize), .init("layers", \.layers), .init("dropout", \.dropout),
         .init("gradient_clip_norm", \.gradientClipNorm)]
    }

    public func validate() throws {
        guard (1...4096).contains(hiddenSize) else {
            throw CrossbarError.invalidParameter(field: "hidden_size", value: "\(hiddenSize)", allowed: "1…4096")
        }
        guard (1...16).contains(layers) else {
            throw CrossbarError.invalidParameter(field: "layers", value: "\(layers)", allowed: "1…16")
        }
        guard dropout.isFinite, dropout >= 0, dropout < 1 else {
            throw CrossbarError.invalidParameter(field: "dropout", value: "\(dropout)", allowed: "[0, 1)")
        }
        try Check.nonNegative(gradientClipNorm, "gradient_clip_norm")
    }
}
