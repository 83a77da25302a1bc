import CrossbarFoundation
import CrossbarDevices

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
    /// The weights forward/backward read: row-major [out × in], valid until the next change
    /// of the core (pending write noise is drawn before it is returned).
    var readWeights: FloatBuffer { get }
    /// Applies the update W ← W − η Σ_b d_b x_bᵀ as this core realises it. `x` is
    /// [batch × in], `d` is [batch × out] (d = ∂loss/∂y), `learningRate` η ≥ 0.
    func update(x: FloatBuffer, d: FloatBuffer, batch: Int, learningRate: Float)
    /// Programs the weights exactly (clipped to device bounds where devices have them).
    func setWeights(_ weights: Matrix)
    /// The visible weights (exact copy, not a noisy read).
    func weights() -> Matrix
    /// Device retention (decay, diffusion) after an optimizer step (docs/devices.md, "Decay, diffusion, reset").
    func postUpdateStep()
    /// Pulse counters of each device array, by array name ("W", or "A" and "C").
    var pulseCounters: [(name: String, counters: PulseCounters)] { get }
    /// The pulsed device arrays of the core, with the archive prefix (relative to the tile's)
    /// under which the core saves each: "" for in-memory SGD, "A." and "C." (or "W0." …) for
    /// the transfer compounds, "W." for mixed precision; none for floating point. For
    /// inspection (tests, experiments).
    var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] { get }
    /// Pulses per training sample on each device array, by array name, since construction:
    /// the paper's endurance figure (how often each array is written). Empty for cores
    /// without devices.
    var pulsesPerSample: [String: Double] { get }
    /// Saves / restores the complete mutable state (weights, device parameters, buffers,
    /// counters, random-stream positions) for checkpoints.
    func saveState(to archive: inout StateArchive, prefix: String)
    func loadState(from archive: StateArchive, prefix: String) throws
}

extension TileCore {
    public func postUpdateStep() {}
    public var pulseCounters: [(name: String, counters: PulseCounters)] { [] }
    public var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] { [] }
    /// Default: every array receives one rank-one update per sample (in-memory SGD), so its
    /// `updates` counter is the number of samples.
    public var pulsesPerSample: [String: Double] {
        var result: [String: Double] = [:]
        for (name, c) in pulseCounters { result[name] = c.pulsesPerUpdate }
        return result
    }
}

extension TileCore {
    /// Cores that keep no state beyond what they were built with save nothing…
    public func saveState(to archive: inout StateArchive, prefix: String) {}
    /// …and refuse to restore, so a checkpoint is never silently incomplete.
    public func loadState(from archive: StateArchive, prefix: String) throws {
        throw CrossbarError.message("checkpoint: the tile core \(type(of: self)) does not support checkpoints")
    }
}
