import CrossbarFoundation
import CrossbarTile

/// A layer whose weights live on an analog tile (``AnalogLinear``, ``AnalogConv2d``).
///
/// "Logical" weights are what the network computes with: s · W_tile (s = ``weightScale``,
/// 1 without weight scaling), plus the bias (digital, or s × the tile's bias column).
public protocol AnalogLayer: Layer {
    /// The tile [out × (fanIn + 1 if the bias is analog)].
    var tile: AnalogTile { get }
    /// s of weight scaling (docs/training.md, "Training semantics"): logical weight = s · tile weight; 1 when ω = 0.
    var weightScale: Float { get }
    /// Logical weights [out × fanIn] and bias (nil without bias). Exact copy, not a noisy read.
    func logicalWeights() -> (weights: Matrix, bias: [Float]?)
    /// Programs logical weights and bias (recomputes s when ω > 0; devices clip to bounds).
    func setLogicalWeights(_ weights: Matrix, bias: [Float]?) throws
    /// Restores s from a checkpoint without touching the tile (restore the tile separately).
    func restoreWeightScale(_ scale: Float) throws
}

extension AnalogLayer {
    public var analogTiles: [AnalogTile] { [tile] }
}
