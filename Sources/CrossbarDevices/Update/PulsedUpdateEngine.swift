import CPulseKernels
import CrossbarFoundation

/// Turns rank-one updates W ← W − η·d·xᵀ into device pulses and applies them to a
/// ``PulsedDeviceArray`` (docs/devices.md, "The pulsed update").
///
/// Per sample: update management fixes BL and the probability scales (``UpdatePlan``); every
/// x_j and d_i gets a BL-slot bit line (a bit mask) with firing probability p_x,j resp. p_d,i
/// (stochastic pulse types), and element (i, j) receives n_ij = popcount(mask_x,j & mask_d,i)
/// coincidences — exactly the joint distribution of the reference simulator's pulse trains —
/// all in one direction: down (weight decreases) when s = sgn(d_i)·sgn(x_j)·sgn(η) > 0.
/// The deterministic pulse types compute n_ij from rounded counts instead (docs/devices.md, "The pulsed update").
///
/// The work of one sample is split by concern over the files of this folder:
/// - bit lines (`PulsedUpdateEngine+BitLines.swift`) or deterministic counts
///   (`PulsedUpdateEngine+DeterministicCounts.swift`) fill the engine's scratch buffers and
///   describe the result in a ``SamplePulsePlan``;
/// - `PulsedUpdateEngine+Dispatch.swift` picks the device kernel and runs the row chunks,
///   each reading a ``PulseChunkContext``, through the C kernels or the generic loops of
///   `PulsedUpdateEngine+ApplyLoops.swift`;
/// - the pulse types `none` / `none_with_device` skip pulses (`PulsedUpdateEngine+ExactUpdate.swift`).
///
/// Parallelism and randomness: the rows are split into fixed chunks (a function of the array
/// shape only); chunk c of sample t draws its device noise from
/// `noiseKey.generator(t, c)`, the bit lines come from `pulseKey.generator(t, 0)`. Results are
/// therefore identical for any thread count.
public final class PulsedUpdateEngine: @unchecked Sendable {
    public let array: PulsedDeviceArray
    public let rows: Int
    public let cols: Int
    let pulseKey: StreamKey
    let noiseKey: StreamKey
    /// Samples processed so far (the counter of all generators; part of the checkpoint).
    public package(set) var sampleCounter: UInt64 = 0
    /// Pulses applied so far.
    public package(set) var counters = PulseCounters()
    /// Per-device pulse counts (up, down), row-major, when enabled.
    package private(set) var perDeviceUp: UnsafeMutablePointer<UInt32>?
    package private(set) var perDeviceDown: UnsafeMutablePointer<UInt32>?

    /// Rows per chunk, max(1, ⌊16 384 / cols⌋): a chunk covers about 16 384 devices.
    let rowsPerChunk: Int
    /// ⌈rows / rowsPerChunk⌉ chunks; chunk c has its own noise stream.
    let chunkCount: Int

    // Scratch, reused across samples; what a sample wrote into them is described by its
    // ``SamplePulsePlan``.
    /// Active columns (indices into x), their pulse sign (1 = negative) and their bit lines
    /// (`words` UInt64 per column) or deterministic counts.
    let activeCols = ScratchBuffer<Int32>()
    let activeNeg = ScratchBuffer<UInt8>()
    let activeMask = ScratchBuffer<UInt64>()
    let activeValue = ScratchBuffer<Float>()
    /// Per row: bit line (`words` UInt64), sign (1 = negative), deterministic count factor.
    let rowMask = ScratchBuffer<UInt64>()
    let rowNeg = ScratchBuffer<UInt8>()
    let rowValue = ScratchBuffer<Float>()
    /// Slot lists (BL ≤ 64): the active columns firing in slot s are
    /// `slotCols[slotStart[s]..<slotStart[s + 1]]`, with their signs in `slotNeg`.
    let slotStart = ScratchBuffer<Int32>()
    let slotCols = ScratchBuffer<Int32>()
    let slotNeg = ScratchBuffer<UInt8>()
    let slotCursor = ScratchBuffer<Int32>()
    /// Per chunk: up and down pulses of the current sample.
    let chunkUp = ScratchBuffer<UInt64>()
    let chunkDown = ScratchBuffer<UInt64>()
    /// x and d with the choppers applied (exact updates).
    let chopped = ScratchBuffer<Float>()
    /// Per chunk: ``NoiseSource/scratchFloats`` floats for the chunk's noise source.
    let noiseScratch: ScratchBuffer<Float>
    // Dense-row path: per column mask (low and high 32 bits) and sign (+1/−1, indexed by the
    // column itself, zero mask for inactive columns); per chunk counts, the fallback columns,
    // and the noise of single-slot rows (slot-list path).
    let denseMaskLow = ScratchBuffer<UInt32>()
    let denseMaskHigh = ScratchBuffer<UInt32>()
    let denseSign = ScratchBuffer<Int32>()
    let rowCounts: ScratchBuffer<Int32>
    let rowNoise: ScratchBuffer<Float>
    let rowFallback: ScratchBuffer<Int32>
    /// cols rounded up to a multiple of 64: the per-chunk stride of `rowCounts` and `rowNoise`
    /// (`rowFallback` uses rowStride + 8).
    let rowStride: Int

    /// Rows whose expected fraction of pulsed devices exceeds this use the dense path.
    static let denseRowThreshold: Float = 0.3
    /// The same for rows firing in one slot (their devices get at most one pulse each, the
    /// cheapest case of the SIMD row pass; measured crossover with the slot lists ≈ 0.15).
    static let singleSlotDenseThreshold: Float = 0.15

    /// Elements of work (active rows × active columns) above which chunks run in parallel.
    static let parallelThreshold = 32_768

    public init(array: PulsedDeviceArray, pulseKey: StreamKey, noiseKey: StreamKey, countPerDevice: Bool = false) {
        self.array = array
        rows = array.rows
        cols = array.cols
        self.pulseKey = pulseKey
        self.noiseKey = noiseKey
        rowsPerChunk = max(1, 16384 / array.cols)
        chunkCount = (array.rows + rowsPerChunk - 1) / rowsPerChunk
        chunkUp.ensure(chunkCount)
        chunkDown.ensure(chunkCount)
        noiseScratch = ScratchBuffer<Float>(capacity: chunkCount * NoiseSource.scratchFloats)
        rowStride = (array.cols + 63) / 64 * 64
        rowNoise = ScratchBuffer<Float>(capacity: chunkCount * rowStride)
        rowCounts = ScratchBuffer<Int32>(capacity: chunkCount * rowStride)
        rowFallback = ScratchBuffer<Int32>(capacity: chunkCount * (rowStride + 8))
        if countPerDevice { enablePerDeviceCounts() }
    }

    deinit {
        perDeviceUp?.deallocate()
        perDeviceDown?.deallocate()
    }

    /// Starts counting pulses per device (from zero).
    public func enablePerDeviceCounts() {
        guard perDeviceUp == nil else { return }
        let n = rows * cols
        perDeviceUp = .allocate(capacity: n)
        perDeviceUp!.initialize(repeating: 0, count: n)
        perDeviceDown = .allocate(capacity: n)
        perDeviceDown!.initialize(repeating: 0, count: n)
    }

    /// Per-device total pulse counts (row-major), or nil when not enabled.
    public func perDeviceTotals() -> [UInt32]? {
        guard let u = perDeviceUp, let d = perDeviceDown else { return nil }
        return (0..<(rows * cols)).map { u[$0] &+ d[$0] }
    }

    /// The per-device counters as a pair (nil when not counting per device).
    var perDevicePair: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)? {
        if let u = perDeviceUp, let d = perDeviceDown { return (u, d) }
        return nil
    }

    // MARK: - Public entry point

    /// Applies W ← W − η·d·xᵀ as pulses with the given update parameters.
    /// - Parameters:
    ///   - x: input side (length `cols`); d: error side (length `rows`).
    ///   - learningRate: the pulse-count learning rate η (its sign is honoured, §1.5).
    ///   - xSigns, dSigns: optional ±1 multipliers (input/output choppers, §3.4).
    package func update(x: PulseSource, d: PulseSource, learningRate eta: Float, parameters p: UpdateParameters,
                       xSigns: UnsafePointer<Int8>? = nil, dSigns: UnsafePointer<Int8>? = nil) {
        let sample = sampleCounter
        sampleCounter &+= 1
        counters.updates &+= 1
        guard eta != 0 else { return }
        switch p.pulseType {
        case .none, .noneWithDevice:
            exactUpdate(x: x, d: d, eta: eta, clip: p.pulseType == .noneWithDevice, xSigns: xSigns, dSigns: dSigns, sample: sample)
            return
        default:
            break
        }
        let xMax = x.maxAbs(count: cols)
        let dMax = d.maxAbs(count: rows)
        let train = UpdatePlan.make(eta: abs(eta), granularity: array.granularity, xMax: xMax, dMax: dMax, parameters: p)
        guard train.bl > 0 else { return }
        var g = pulseKey.generator(sample, 0)
        let etaNeg = eta < 0
        let stochastic = p.pulseType == .stochasticCompressed || p.pulseType == .stochastic
        if stochastic {
            let words = (train.bl + 63) / 64
            let q = ProbabilityQuantizer(res: p.res, stochastic: p.stoRound)
            var plan = SamplePulsePlan(mode: words == 1 ? .singleWord : .multiWord(words))
            buildColumnMasks(x, train: train, words: words, q: q, signs: xSigns, etaNeg: etaNeg, into: &plan, &g)
            guard plan.activeColumns > 0 else { return }
            buildRowMasks(d, train: train, words: words, q: q, signs: dSigns, into: &plan, &g)
            guard plan.activeRows > 0 else { return }
            if words == 1 && plan.singleSlotRows > 0 { buildSlotLists(bl: train.bl, activeColumns: plan.activeColumns) }
            dispatch(sample: sample, plan: plan)
        } else {
            var plan = SamplePulsePlan(mode: .counts)
            buildColumnCounts(x, train: train, p: p, signs: xSigns, etaNeg: etaNeg, into: &plan, &g)
            guard plan.activeColumns > 0 else { return }
            buildRowCounts(d, train: train, p: p, signs: dSigns, into: &plan, &g)
            guard plan.activeRows > 0 else { return }
            dispatch(sample: sample, plan: plan)
        }
    }
}
