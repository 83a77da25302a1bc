import CrossbarDevices
import CrossbarTile

/// All parameters of a training-algorithm compound (docs/algorithms.md), with the reference simulator's
/// names and defaults per compound kind. Which fields a kind accepts depends on ``kind``.
///
/// Learning rates: the tile's SGD learning rate η reaches A as the fast ("pulse count")
/// learning rate (``fastLR``, ``scaleFastLR``, ``autoScale``) and C through the transfer
/// (``transferLR``, ``scaleTransferLR``, buffer granularity).
public struct CompoundConfig: Sendable, Equatable, Codable {
    public var kind: CompoundKind
    /// The devices: [A, C, …] for the transfer compounds; one device for mixed precision.
    public var unitCellDevices: [DeviceConfig]

    // MARK: TransferCompound (docs/algorithms.md)
    /// Weight of A in the visible weight W = Σ γ_k W_k (γ vector [γ^{n−1}, …, γ, 1]). Default 0.
    public var gamma: Float = 0
    /// Explicit γ_k per device (empty: from gamma).
    public var gammaVec: [Float] = []
    /// Transfer cycle length of A → C (vectors, or mini-batches if units_in_mbatch; < 0 ⇒
    /// automatic for the chopped kinds). Default 1.
    public var transferEvery: Float = 1
    /// The last device does not transfer to itself. Default true.
    public var noSelfTransfer = true
    /// Explicit transfer cycle lengths per device (empty: geometric from transfer_every).
    public var transferEveryVec: [Float] = []
    /// transfer_every counts mini-batches (true) or single vectors. Default true (TTv1),
    /// false (chopped kinds).
    public var unitsInMbatch = true
    /// Columns read per transfer event (chopped kinds: 1). Default 1.
    public var nReadsPerTransfer = 1
    /// Read columns with the forward pass (true) or rows with the backward pass. Default true.
    public var transferColumns = true
    /// Probability of resetting a read column of A (TTv1). Default 0.
    public var withResetProb: Float = 0
    /// Random start column of each transfer (TTv1). Default false.
    public var randomSelection = false
    /// Learning rate of A (≤ 0: the SGD rate). Default 1.
    public var fastLR: Float = 1
    /// Learning rate of the transfer writes. Default 1.
    public var transferLR: Float = 1
    /// Explicit transfer learning rates per device.
    public var transferLRVec: [Float] = []
    /// Transfer learning rate × current SGD rate. Default true.
    public var scaleTransferLR = true
    /// Fast learning rate × current SGD rate. Default true (TTv1), false (chopped kinds).
    public var scaleFastLR = true
    /// IO of the transfer reads (noise and bound management forced off).
    public var transferForward = IOParameters()
    /// Pulses of the transfer writes. Default: BL 31 with management (TTv1); one pulse
    /// (desired_bl 1, no management) for the buffered kinds.
    public var transferUpdate = UpdateParameters()

    // MARK: BufferedTransferCompound (TTv2, docs/algorithms.md)
    /// Threshold of H in units of the destination granularity. Default 1.
    public var thresScale: Float = 1
    /// Write learning rate in units of the destination granularity. Default 1.
    public var step: Float = 1
    /// Fraction of H kept after a write. Default 0.1 (buffered), 0 (chopped kinds).
    public var momentum: Float = 0.1
    /// H ← momentum·H after a write (true) or H − (1−momentum)·n·θ. Default true.
    public var forgetBuffer = true

    // MARK: ChoppedTransferCompound (c-TTv2, docs/algorithms.md)
    /// Flip probability (random) or 1/period (regular) of the input choppers. Default 0.1.
    public var inChopProb: Float = 0.1
    /// Random (true) or regular (false) input chopper flips. Default true (AGAD: false).
    public var inChopRandom = true
    /// Flip probability of each output chopper after a full sweep. Default 0.
    public var outChopProb: Float = 0
    /// Buffer granularity in units of ε_A (> 0). Default 1.
    public var bufferGranularity: Float = 1
    /// If > 0: scale the buffer granularity by auto_granularity/(in_size·|transfer_every|).
    /// Default 0.
    public var autoGranularity: Float = 0
    /// Adapt the fast learning rate to running maxima of |x| and |d|. Default false.
    public var autoScale = false
    /// Momentum of those running maxima, in (0, 1). Default 0.99.
    public var autoMomentum: Float = 0.99
    /// Divide the buffer increment by the fast learning rate and use ε_C/ε_A. Default false.
    public var correctGradientMagnitudes = false
    /// No buffer (H reset at every read, TTv1-like). Default false.
    public var noBuffer = false

    // MARK: DynamicTransferCompound (AGAD, docs/algorithms.md)
    /// Weight of the tail of the chopper period in the running mean: β = min(tw/N, 1).
    /// Default 5.
    public var tailWeightening: Float = 5
    /// Clip H to ±buffer_cap·BL (> 0; 0 = off). Default 0.
    public var bufferCap: Float = 0
    /// Divide the buffer increment by the position in the chopper period. Default false.
    public var experimentalCorrectAccumulation = false

    // MARK: MixedPrecisionCompound (docs/algorithms.md)
    /// Rows written per transfer (≤ 0: all rows). Default −1.
    public var nRowsPerTransfer = -1
    /// Random start row. Default false.
    public var randomRow = false
    /// Transfer granularity ε_g (≤ 0: the device's ε). Default 0.
    public var granularity: Float = 0
    /// Quantisation bins of x and d before the χ update (0 = none). Default 0.
    public var nXBins = 0
    public var nDBins = 0
    /// Stochastic rounding of that quantisation. Default true.
    public var stocRoundX = true
    public var stocRoundD = true

    /// The defaults of `kind` with the given devices (docs/algorithms.md per-kind defaults).
    public init(kind: CompoundKind, devices: [DeviceConfig]) {
        self.kind = kind
        unitCellDevices = devices
        switch kind {
        case .transfer:
            break
        case .buffered:
            transferUpdate = .singlePulse
        case .chopped, .dynamic:
            transferUpdate = .singlePulse
            unitsInMbatch = false
            scaleFastLR = false
            momentum = 0
            if kind == .dynamic { inChopRandom = false }
        case .mixedPrecision:
            break
        }
    }

    /// The regular chopper's half-period in sweeps, N = max(⌈1/in_chop_prob⌉, 2)
    /// (docs/algorithms.md §2.5): a column's chopper flips every N reads of that column. Beyond
    /// 2⁵³ sweeps (in_chop_prob below ≈ 10⁻¹⁶) the chopper never flips in practice; the period
    /// is capped there instead of overflowing.
    public var chopperPeriod: UInt64 {
        // In Float, as the reference computes it (1/0.02 rounds to 50 in Float, not 51).
        let n = (1 / inChopProb).rounded(.up)
        guard n.isFinite, n < 9_007_199_254_740_992 else { return 9_007_199_254_740_992 }
        return max(UInt64(n), 2)
    }

    /// The device of A (the fast, gradient-accumulating array), or the single device of
    /// mixed precision.
    public var fastDevice: DeviceConfig { unitCellDevices[0] }

    /// The weight granularity ε of the compound: that of its fast device (docs/devices.md, "Weight granularity"), or
    /// `granularity` for mixed precision when > 0.
    public var granularityOfCompound: Float {
        if kind == .mixedPrecision && granularity > 0 { return granularity }
        return fastDevice.granularity
    }
}
