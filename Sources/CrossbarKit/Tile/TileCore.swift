/// What holds and changes a tile's weights: an exact floating-point matrix, one array of
/// pulsed devices (in-memory SGD), or a compound of several arrays (the training algorithms).
///
/// The tile's forward and backward passes read ``readWeights``; ``update(x:d:batch:learningRate:)``
/// implements the update rule of the core.
public protocol TileCore: AnyObject {
    /// Output lines (rows of W).
    var outSize: Int { get }
    /// Input lines (columns of W).
    var inSize: Int { get }
    /// The weights forward/backward read: row-major [out × in], stable while the core lives.
    var readWeights: UnsafePointer<Float> { get }
    /// Applies the update W ← W − η Σ_b d_b x_bᵀ as this core realises it. `x` is
    /// [batch × in], `d` is [batch × out] (d = ∂loss/∂y), `learningRate` η ≥ 0.
    func update(x: UnsafePointer<Float>, d: UnsafePointer<Float>, batch: Int, learningRate: Float)
    /// Programs the weights exactly (clipped to device bounds where devices have them).
    func setWeights(_ weights: Matrix)
    /// The visible weights (exact copy, not a noisy read).
    func weights() -> Matrix
}
