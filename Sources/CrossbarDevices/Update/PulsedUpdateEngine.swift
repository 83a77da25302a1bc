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

    let rowsPerChunk: Int
    let chunkCount: Int

    // Scratch, reused across samples.
    private let activeCols = ScratchBuffer<Int32>()
    private let activeNeg = ScratchBuffer<UInt8>()
    private let activeMask = ScratchBuffer<UInt64>()
    private let activeValue = ScratchBuffer<Float>()
    private let rowMask = ScratchBuffer<UInt64>()
    private let rowNeg = ScratchBuffer<UInt8>()
    private let rowValue = ScratchBuffer<Float>()
    private let slotStart = ScratchBuffer<Int32>()
    private let slotCols = ScratchBuffer<Int32>()
    private let slotNeg = ScratchBuffer<UInt8>()
    private let slotCursor = ScratchBuffer<Int32>()
    private let chunkUp = ScratchBuffer<UInt64>()
    private let chunkDown = ScratchBuffer<UInt64>()
    private let chopped = ScratchBuffer<Float>()
    private let noiseScratch: ScratchBuffer<Float>
    // Dense-row path: per column mask (low and high 32 bits) and sign; per chunk counts, the
    // fallback columns, and the noise of single-slot rows (slot-list path).
    private let denseMaskLow = ScratchBuffer<UInt32>()
    private let denseMaskHigh = ScratchBuffer<UInt32>()
    private var useMaskHigh = false
    /// +1/−1 when all active columns of the sample have that sign, else 0.
    private var uniformColumnSign: Int32 = 0
    private let denseSign = ScratchBuffer<Int32>()
    private let rowCounts: ScratchBuffer<Int32>
    private let rowNoise: ScratchBuffer<Float>
    private let rowFallback: ScratchBuffer<Int32>
    private let rowStride: Int
    /// Mean fraction of columns firing in one slot (for choosing dense rows).
    private var columnFiringRate: Float = 0

    /// Rows whose expected fraction of pulsed devices exceeds this use the dense path.
    static let denseRowThreshold: Float = 0.3
    /// The same for rows firing in one slot (their devices get at most one pulse each, the
    /// cheapest case of the SIMD row pass; measured crossover with the slot lists ≈ 0.15).
    static let singleSlotDenseThreshold: Float = 0.15
    private var activeCount = 0
    private var activeRows = 0
    private var singleBitRows = 0

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
        let xMax = maxAbs(x, count: cols)
        let dMax = maxAbs(d, count: rows)
        let plan = UpdatePlan.make(eta: abs(eta), granularity: array.granularity, xMax: xMax, dMax: dMax, parameters: p)
        guard plan.bl > 0 else { return }
        var g = pulseKey.generator(sample, 0)
        let etaNeg = eta < 0
        let stochastic = p.pulseType == .stochasticCompressed || p.pulseType == .stochastic
        if stochastic {
            let words = (plan.bl + 63) / 64
            let q = ProbabilityQuantizer(res: p.res, stochastic: p.stoRound)
            buildColumnMasks(x, plan: plan, words: words, q: q, signs: xSigns, etaNeg: etaNeg, &g)
            guard activeCount > 0 else { return }
            buildRowMasks(d, plan: plan, words: words, q: q, signs: dSigns, &g)
            guard activeRows > 0 else { return }
            if words == 1 && singleBitRows > 0 { buildSlotLists(bl: plan.bl) }
            dispatch(sample: sample, mode: words == 1 ? .singleWord : .multiWord(words))
        } else {
            buildColumnCounts(x, plan: plan, p: p, signs: xSigns, etaNeg: etaNeg, &g)
            guard activeCount > 0 else { return }
            buildRowCounts(d, plan: plan, p: p, signs: dSigns, &g)
            guard activeRows > 0 else { return }
            dispatch(sample: sample, mode: .counts)
        }
    }

    // MARK: - Bit lines

    @inline(__always)
    private func value(_ s: PulseSource, _ k: Int) -> Float {
        switch s {
        case let .dense(p): p[k]
        case let .oneHot(index, v): k == index ? v : 0
        }
    }

    private func maxAbs(_ s: PulseSource, count: Int) -> Float {
        switch s {
        case let .dense(p):
            var m: Float = 0
            for k in 0..<count { m = max(m, abs(p[k])) }
            return m
        case let .oneHot(_, v):
            return abs(v)
        }
    }

    /// BL Bernoulli(p) slots as bits (0 < p < 1); the uniform for each slot is one 32-bit half
    /// of a 64-bit draw, compared with ⌈p·2³²⌉ (probability exact to 2⁻³²).
    @inline(__always)
    private func bernoulliMask(_ p: Float, bits: Int, _ g: inout Xoshiro256) -> UInt64 {
        let threshold = UInt64((Double(p) * 4_294_967_296.0).rounded(.up))
        var mask: UInt64 = 0
        var k = 0
        while k < bits {
            let r = g.next()
            mask |= ((r & 0xFFFF_FFFF) < threshold ? 1 : 0) << UInt64(k)
            if k + 1 < bits { mask |= ((r >> 32) < threshold ? 1 : 0) << UInt64(k + 1) }
            k += 2
        }
        return mask
    }

    /// Writes the `words`-word mask of BL slots firing with probability p into `out`.
    /// Returns false if no slot fires.
    @inline(__always)
    private func fillMask(_ p: Float, bl: Int, words: Int, into out: UnsafeMutablePointer<UInt64>,
                          _ g: inout Xoshiro256) -> Bool {
        var any: UInt64 = 0
        for w in 0..<words {
            let bits = min(64, bl - 64 * w)
            let m: UInt64
            if p >= 1 {
                m = bits == 64 ? ~0 : (UInt64(1) << UInt64(bits)) - 1
            } else {
                m = bernoulliMask(p, bits: bits, &g)
            }
            out[w] = m
            any |= m
        }
        return any != 0
    }

    private func buildColumnMasks(_ x: PulseSource, plan: UpdatePlan, words: Int, q: ProbabilityQuantizer,
                                  signs: UnsafePointer<Int8>?, etaNeg: Bool, _ g: inout Xoshiro256) {
        let cap = cols
        let idx = activeCols.ensure(cap)
        let neg = activeNeg.ensure(cap)
        let masks = activeMask.ensure(cap * words)
        let dLow = denseMaskLow.ensure(cols)
        let dSign = denseSign.ensure(cols)
        useMaskHigh = plan.bl > 32
        let dHigh = denseMaskHigh.ensure(cols)
        if words == 1 {
            dLow.initialize(repeating: 0, count: cols)
            dSign.initialize(repeating: 1, count: cols)
            if useMaskHigh { dHigh.initialize(repeating: 0, count: cols) }
        }
        var n = 0
        var firings = 0
        var positive = 0
        func consider(_ j: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[j] < 0 { v = -v }
            if v == 0 { return }
            let p = q(abs(v) * plan.scaleX, &g)
            if p <= 0 { return }
            if fillMask(p, bl: plan.bl, words: words, into: masks + n * words, &g) {
                idx[n] = Int32(j)
                let isNeg = (v < 0) != etaNeg
                neg[n] = isNeg ? 1 : 0
                positive += isNeg ? 0 : 1
                if words == 1 {
                    dLow[j] = UInt32(truncatingIfNeeded: masks[n])
                    if useMaskHigh { dHigh[j] = UInt32(truncatingIfNeeded: masks[n] >> 32) }
                    dSign[j] = isNeg ? -1 : 1
                    firings += masks[n].nonzeroBitCount
                }
                n += 1
            }
        }
        switch x {
        case let .dense(p): for j in 0..<cols { consider(j, p[j]) }
        case let .oneHot(index, v): consider(index, v)
        }
        activeCount = n
        uniformColumnSign = positive == n ? 1 : (positive == 0 ? -1 : 0)
        columnFiringRate = Float(firings) / Float(cols * plan.bl)
    }

    private func buildRowMasks(_ d: PulseSource, plan: UpdatePlan, words: Int, q: ProbabilityQuantizer,
                               signs: UnsafePointer<Int8>?, _ g: inout Xoshiro256) {
        let masks = rowMask.ensure(rows * words)
        let neg = rowNeg.ensure(rows)
        masks.initialize(repeating: 0, count: rows * words)
        var active = 0, single = 0
        func consider(_ i: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[i] < 0 { v = -v }
            if v == 0 { return }
            let p = q(abs(v) * plan.scaleD, &g)
            if p <= 0 { return }
            let m = masks + i * words
            if fillMask(p, bl: plan.bl, words: words, into: m, &g) {
                neg[i] = v < 0 ? 1 : 0
                active += 1
                if words == 1 && m[0] & (m[0] &- 1) == 0 { single += 1 }
            }
        }
        switch d {
        case let .dense(p): for i in 0..<rows { consider(i, p[i]) }
        case let .oneHot(index, v): consider(index, v)
        }
        activeRows = active
        singleBitRows = single
    }

    /// For BL ≤ 64: per slot s, the ascending list of active columns firing in s (rows whose
    /// bit line fires in one slot only visit just those columns).
    private func buildSlotLists(bl: Int) {
        let start = slotStart.ensure(bl + 1)
        start.initialize(repeating: 0, count: bl + 1)
        let masks = activeMask.pointer
        var total = 0
        for a in 0..<activeCount {
            var m = masks[a]
            while m != 0 {
                start[m.trailingZeroBitCount + 1] += 1
                m &= m &- 1
                total += 1
            }
        }
        for s in 0..<bl { start[s + 1] += start[s] }
        let listCols = slotCols.ensure(max(total, 1))
        let listNeg = slotNeg.ensure(max(total, 1))
        let cur = slotCursor.ensure(bl)
        for s in 0..<bl { cur[s] = start[s] }
        let idx = activeCols.pointer, neg = activeNeg.pointer
        for a in 0..<activeCount {
            var m = masks[a]
            while m != 0 {
                let s = m.trailingZeroBitCount
                let pos = Int(cur[s])
                listCols[pos] = idx[a]
                listNeg[pos] = neg[a]
                cur[s] += 1
                m &= m &- 1
            }
        }
    }
    // MARK: - Deterministic counts (mean_count, deterministic_implicit; docs/devices.md, "The pulsed update")

    private func buildColumnCounts(_ x: PulseSource, plan: UpdatePlan, p: UpdateParameters,
                                   signs: UnsafePointer<Int8>?, etaNeg: Bool, _ g: inout Xoshiro256) {
        let idx = activeCols.ensure(cols)
        let val = activeValue.ensure(cols)
        let q = ProbabilityQuantizer(res: p.res, stochastic: p.stoRound)
        let qi = ProbabilityQuantizer(res: p.xResImplicit, stochastic: p.stoRound)
        let bl = Float(plan.bl)
        var n = 0
        func consider(_ j: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[j] < 0 { v = -v }
            if etaNeg { v = -v }
            if v == 0 { return }
            let f: Float
            if p.pulseType == .meanCount {
                f = min(max((bl * q(abs(v) * plan.scaleX, &g)).rounded(.toNearestOrEven), 0), bl)
            } else {
                f = min(max(qi(abs(v) * plan.scaleX, &g), 0), 1)
            }
            if f == 0 { return }
            idx[n] = Int32(j)
            val[n] = v < 0 ? -f : f
            n += 1
        }
        switch x {
        case let .dense(ptr): for j in 0..<cols { consider(j, ptr[j]) }
        case let .oneHot(index, v): consider(index, v)
        }
        activeCount = n
    }

    private func buildRowCounts(_ d: PulseSource, plan: UpdatePlan, p: UpdateParameters,
                                signs: UnsafePointer<Int8>?, _ g: inout Xoshiro256) {
        let val = rowValue.ensure(rows)
        val.initialize(repeating: 0, count: rows)
        let q = ProbabilityQuantizer(res: p.res, stochastic: p.stoRound)
        let qi = ProbabilityQuantizer(res: p.dResImplicit, stochastic: p.stoRound)
        let bl = Float(plan.bl)
        var active = 0
        func consider(_ i: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[i] < 0 { v = -v }
            if v == 0 { return }
            let f: Float
            if p.pulseType == .meanCount {
                // c_d / BL, so that n = rint(c_d/BL · c_x).
                f = min(max((bl * q(abs(v) * plan.scaleD, &g)).rounded(.toNearestOrEven), 0), bl) / bl
            } else {
                // BL · d̃, so that n = rint(BL · d̃ · x̃).
                f = bl * min(max(qi(abs(v) * plan.scaleD, &g), 0), 1)
            }
            if f == 0 { return }
            val[i] = v < 0 ? -f : f
            active += 1
        }
        switch d {
        case let .dense(ptr): for i in 0..<rows { consider(i, ptr[i]) }
        case let .oneHot(index, v): consider(index, v)
        }
        activeRows = active
    }

    // MARK: - Application

    private enum Mode { case singleWord, multiWord(Int), counts }

    /// Everything a chunk reads, gathered once per sample (so the parallel chunks read plain
    /// values instead of the engine's mutable properties).
    private struct ChunkContext {
        let cols: Int
        let rowMasks: UnsafeMutablePointer<UInt64>
        let rowNeg: UnsafeMutablePointer<UInt8>
        let rowValue: UnsafeMutablePointer<Float>
        let masks: UnsafeMutablePointer<UInt64>
        let idx: UnsafeMutablePointer<Int32>
        let neg: UnsafeMutablePointer<UInt8>
        let values: UnsafeMutablePointer<Float>
        let slotStart: UnsafeMutablePointer<Int32>
        let slotCols: UnsafeMutablePointer<Int32>
        let slotNeg: UnsafeMutablePointer<UInt8>
        let activeCount: Int
        let useSlots: Bool
        let rate: Float
        let perDevice: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)?
        let denseMaskLow: UnsafeMutablePointer<UInt32>
        let denseMaskHigh: UnsafeMutablePointer<UInt32>?
        let denseSign: UnsafeMutablePointer<Int32>
        let uniformSign: Int32
        let rowCounts: UnsafeMutablePointer<Int32>
        let rowNoise: UnsafeMutablePointer<Float>
        let rowFallback: UnsafeMutablePointer<Int32>
        let rowStride: Int
        let noiseScratch: UnsafeMutablePointer<Float>
        let noiseKey: StreamKey
        let rowsPerChunk: Int
        let rows: Int
        let up: UnsafeMutablePointer<UInt64>
        let down: UnsafeMutablePointer<UInt64>

        /// What the C kernels read for the rows of `chunk` of a single-word update.
        func singleWordRows(chunk: Int) -> cpk_single_word_rows {
            var r = cpk_single_word_rows()
            r.cols = Int64(cols)
            r.row_masks = UnsafePointer(rowMasks)
            r.row_negative = UnsafePointer(rowNeg)
            r.masks = UnsafePointer(masks)
            r.columns = UnsafePointer(idx)
            r.negative = UnsafePointer(neg)
            r.active_count = Int64(activeCount)
            r.use_slots = useSlots ? 1 : 0
            r.slot_start = UnsafePointer(slotStart)
            r.slot_columns = UnsafePointer(slotCols)
            r.slot_negative = UnsafePointer(slotNeg)
            r.rate = rate
            r.single_slot_dense_threshold = PulsedUpdateEngine.singleSlotDenseThreshold
            r.dense_threshold = PulsedUpdateEngine.denseRowThreshold
            r.column_masks_low = UnsafePointer(denseMaskLow)
            r.column_masks_high = denseMaskHigh.map { UnsafePointer($0) }
            r.column_signs = UnsafePointer(denseSign)
            r.uniform_sign = uniformSign
            r.counts = rowCounts + chunk * rowStride
            r.fallback_columns = rowFallback + chunk * (rowStride + 8)
            r.row_noise = rowNoise + chunk * rowStride
            r.per_device_up = perDevice?.0
            r.per_device_down = perDevice?.1
            return r
        }
    }

    private func makeContext() -> ChunkContext {
        ChunkContext(cols: cols, rowMasks: rowMask.pointer, rowNeg: rowNeg.pointer, rowValue: rowValue.pointer,
                     masks: activeMask.pointer, idx: activeCols.pointer, neg: activeNeg.pointer, values: activeValue.pointer,
                     slotStart: slotStart.pointer, slotCols: slotCols.pointer, slotNeg: slotNeg.pointer,
                     activeCount: activeCount, useSlots: singleBitRows > 0, rate: columnFiringRate,
                     perDevice: perDevicePair, denseMaskLow: denseMaskLow.pointer,
                     denseMaskHigh: useMaskHigh ? denseMaskHigh.pointer : nil, denseSign: denseSign.pointer,
                     uniformSign: uniformColumnSign,
                     rowCounts: rowCounts.pointer, rowNoise: rowNoise.pointer,
                     rowFallback: rowFallback.pointer,
                     rowStride: rowStride, noiseScratch: noiseScratch.pointer, noiseKey: noiseKey,
                     rowsPerChunk: rowsPerChunk, rows: rows, up: chunkUp.pointer, down: chunkDown.pointer)
    }

    private func dispatch(sample: UInt64, mode: Mode) {
        switch array.kernelKind {
        case .linear:
            if case .singleWord = mode {
                runLinearSingleWord(LinearStepKernel(array), sample: sample)
            } else {
                run(LinearStepKernel(array), sample: sample, mode: mode)
            }
        case .pow: run(PowStepKernel(array), sample: sample, mode: mode)
        case .exp: run(ExpStepKernel(array), sample: sample, mode: mode)
        case .piecewise: run(PiecewiseStepKernel(array), sample: sample, mode: mode)
        }
    }

    private func run<K: PulseKernel>(_ kern: K, sample: UInt64, mode: Mode) {
        let parallel = activeRows * activeCount >= Self.parallelThreshold
        let ctx = makeContext()
        ParallelExecutor.forEach(chunks: chunkCount, parallel: parallel) { c in
            let r0 = c * ctx.rowsPerChunk
            let r1 = min(ctx.rows, r0 + ctx.rowsPerChunk)
            var g = NoiseSource(ctx.noiseKey.generator(sample, UInt64(c)),
                                scratch: ctx.noiseScratch + c * NoiseSource.scratchFloats)
            var nUp: UInt64 = 0, nDown: UInt64 = 0
            switch mode {
            case .singleWord: Self.applySingleWord(kern, ctx, c, r0, r1, &g, &nUp, &nDown)
            case let .multiWord(words): Self.applyMultiWord(kern, ctx, r0, r1, words, &g, &nUp, &nDown)
            case .counts: Self.applyCounts(kern, ctx, r0, r1, &g, &nUp, &nDown)
            }
            ctx.up[c] = nUp
            ctx.down[c] = nDown
        }
        for c in 0..<chunkCount {
            counters.up &+= ctx.up[c]
            counters.down &+= ctx.down[c]
        }
        if array.dirty != nil { array.hasPendingWriteNoise = true }
    }

    /// A single-word update of a LinearStep-family array: every row of a chunk in the C kernels
    /// (dense rows by the SIMD pass, rows firing in one slot by their slot list, the rest column
    /// by column), with the same chunks and noise streams as ``run(_:sample:mode:)``.
    private func runLinearSingleWord(_ kern: LinearStepKernel, sample: UInt64) {
        let parallel = activeRows * activeCount >= Self.parallelThreshold
        let ctx = makeContext()
        let device = kern.device
        ParallelExecutor.forEach(chunks: chunkCount, parallel: parallel) { c in
            let r0 = c * ctx.rowsPerChunk
            let r1 = min(ctx.rows, r0 + ctx.rowsPerChunk)
            var g = NoiseSource(ctx.noiseKey.generator(sample, UInt64(c)),
                                scratch: ctx.noiseScratch + c * NoiseSource.scratchFloats)
            var rows = ctx.singleWordRows(chunk: c)
            var dev = device
            var nUp: UInt64 = 0, nDown: UInt64 = 0
            cpk_linear_single_word_rows(&dev, &rows, Int64(r0), Int64(r1), &g.state, &nUp, &nDown)
            ctx.up[c] = nUp
            ctx.down[c] = nDown
        }
        for c in 0..<chunkCount {
            counters.up &+= ctx.up[c]
            counters.down &+= ctx.down[c]
        }
        if array.dirty != nil { array.hasPendingWriteNoise = true }
    }

    /// Adds n pulses to the totals (and, when enabled, to device k's counters).
    @inline(__always)
    private static func record(_ k: Int, _ n: Int, _ isDown: Bool, _ nUp: inout UInt64, _ nDown: inout UInt64,
                        _ perDevice: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)?) {
        let dn = isDown ? UInt64(n) : 0
        nDown &+= dn
        nUp &+= UInt64(n) &- dn
        if let (pu, pd) = perDevice {
            if isDown { pd[k] &+= UInt32(truncatingIfNeeded: n) } else { pu[k] &+= UInt32(truncatingIfNeeded: n) }
        }
    }

    /// The per-device counters as a pair (nil when not counting per device).
    private var perDevicePair: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)? {
        if let u = perDeviceUp, let d = perDeviceDown { return (u, d) }
        return nil
    }

    @inline(__always)
    private static func applySingleWord<K: PulseKernel>(_ kern: K, _ ctx: ChunkContext, _ chunk: Int, _ r0: Int, _ r1: Int,
                                                        _ g: inout NoiseSource, _ nUp: inout UInt64, _ nDown: inout UInt64) {
        let cols = ctx.cols
        let rowMasks = ctx.rowMasks, rNeg = ctx.rowNeg
        let masks = ctx.masks, idx = ctx.idx, neg = ctx.neg
        let start = ctx.slotStart, listCols = ctx.slotCols, listNeg = ctx.slotNeg
        let na = ctx.activeCount
        let useSlots = ctx.useSlots
        let perDevice = ctx.perDevice
        for i in r0..<r1 {
            let md = rowMasks[i]
            if md == 0 { continue }
            let rn = rNeg[i]
            let base = i * cols
            if useSlots && md & (md &- 1) == 0 {
                let s = md.trailingZeroBitCount
                let q0 = Int(start[s]), q1 = Int(start[s + 1])
                let (u, d) = kern.applySingles(base: base, columns: listCols + q0, negative: listNeg + q0,
                                               count: q1 - q0, rowNegative: rn, noise: ctx.rowNoise + chunk * ctx.rowStride, &g)
                nUp &+= u
                nDown &+= d
                if let (pu, pd) = perDevice {
                    for q in q0..<q1 {
                        let k = base + Int(listCols[q])
                        if rn == listNeg[q] { pd[k] &+= 1 } else { pu[k] &+= 1 }
                    }
                }
            } else {
                for a in 0..<na {
                    let n = (masks[a] & md).nonzeroBitCount
                    if n != 0 {
                        let k = base + Int(idx[a])
                        let isDown = rn == neg[a]
                        kern.apply(k, count: n, down: isDown, &g)
                        record(k, n, isDown, &nUp, &nDown, perDevice)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func applyMultiWord<K: PulseKernel>(_ kern: K, _ ctx: ChunkContext, _ r0: Int, _ r1: Int, _ words: Int,
                                                       _ g: inout NoiseSource, _ nUp: inout UInt64, _ nDown: inout UInt64) {
        let cols = ctx.cols
        let rowMasks = ctx.rowMasks, rNeg = ctx.rowNeg
        let masks = ctx.masks, idx = ctx.idx, neg = ctx.neg
        let na = ctx.activeCount
        let perDevice = ctx.perDevice
        for i in r0..<r1 {
            let md = rowMasks + i * words
            var any: UInt64 = 0
            for w in 0..<words { any |= md[w] }
            if any == 0 { continue }
            let rn = rNeg[i]
            let base = i * cols
            for a in 0..<na {
                let mx = masks + a * words
                var n = 0
                for w in 0..<words { n += (mx[w] & md[w]).nonzeroBitCount }
                if n != 0 {
                    let k = base + Int(idx[a])
                    let isDown = rn == neg[a]
                    kern.apply(k, count: n, down: isDown, &g)
                    record(k, n, isDown, &nUp, &nDown, perDevice)
                }
            }
        }
    }

    @inline(__always)
    private static func applyCounts<K: PulseKernel>(_ kern: K, _ ctx: ChunkContext, _ r0: Int, _ r1: Int,
                                                    _ g: inout NoiseSource, _ nUp: inout UInt64, _ nDown: inout UInt64) {
        let cols = ctx.cols
        let rv = ctx.rowValue
        let val = ctx.values, idx = ctx.idx
        let na = ctx.activeCount
        let perDevice = ctx.perDevice
        for i in r0..<r1 {
            let fd = rv[i]
            if fd == 0 { continue }
            let base = i * cols
            for a in 0..<na {
                let n = Int((fd * val[a]).rounded(.toNearestOrEven))
                if n != 0 {
                    let k = base + Int(idx[a])
                    let isDown = n > 0
                    kern.apply(k, count: abs(n), down: isDown, &g)
                    record(k, abs(n), isDown, &nUp, &nDown, perDevice)
                }
            }
        }
    }

    // MARK: - Exact updates (pulse types none and none_with_device)

    private func exactUpdate(x: PulseSource, d: PulseSource, eta: Float, clip: Bool,
                             xSigns: UnsafePointer<Int8>?, dSigns: UnsafePointer<Int8>?, sample: UInt64) {
        let buf = chopped.ensure(rows + cols)
        let xv = buf, dv = buf + cols
        for j in 0..<cols { xv[j] = value(x, j) * ((xSigns?[j] ?? 1) < 0 ? -1 : 1) }
        for i in 0..<rows { dv[i] = value(d, i) * ((dSigns?[i] ?? 1) < 0 ? -1 : 1) }
        let h = array.hidden.pointer
        if clip {
            array.addExact { k in -eta * dv[k / self.cols] * xv[k % self.cols] }
        } else {
            DenseKernels.rankOneUpdate(weights: h, out: rows, in: cols, x: xv, d: dv, alpha: -eta)
            array.refreshAllWriteNoise(draw: false)
        }
    }
}
