import CrossbarFoundation
import CrossbarDevices
import CrossbarTile

/// Mixed precision (`MixedPrecisionCompound`, docs/algorithms.md; Nandakumar et al. 2018): the gradient
/// is accumulated digitally in χ (floating point, same shape as W); every `transfer_every`
/// mini-batches the next rows of χ are converted to pulse counts n = trunc(χ/ε_g), written
/// onto the analog W with pulses (update and BL management on), and χ keeps the remainder.
public final class MixedPrecisionCore: TileCore, @unchecked Sendable {
    public let config: CompoundConfig
    public let mainUpdate: UpdateParameters
    public let weightArray: CompoundArray
    /// The digital accumulator χ, row-major like W.
    public let chi: DeviceBuffer
    public var outSize: Int { weightArray.array.rows }
    public var inSize: Int { weightArray.array.cols }
    /// Vector updates so far (spec's u; checkpointed).
    public private(set) var samples: UInt64 = 0
    /// Next row to transfer.
    public private(set) var nextRow = 0
    /// Rows written so far.
    public private(set) var rowsTransferred: UInt64 = 0
    let algorithmKey: StreamKey
    private var events: UInt64 = 0
    private let scratch: ScratchBuffer<Float>

    init(config: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int, seeds: SeedSet, path: String) {
        self.config = config
        mainUpdate = update
        var construction = AnalogTile.constructionGenerator(constructionSeed: config.unitCellDevices[0].constructionSeed,
                                                            seeds: seeds, path: path)
        weightArray = CompoundArray(name: "W", device: config.unitCellDevices[0], rows: outSize, cols: inSize,
                                    construction: &construction, seeds: seeds, path: path)
        chi = DeviceBuffer(count: outSize * inSize)
        algorithmKey = seeds.key(.algorithm, path)
        scratch = ScratchBuffer<Float>(capacity: 2 * (outSize + inSize))
    }

    /// ε_g: `granularity` if > 0, else the device's ε.
    public var transferGranularity: Float { config.granularity > 0 ? config.granularity : weightArray.array.granularity }

    public var readWeights: FloatBuffer { FloatBuffer(weightArray.array.readWeights(), count: outSize * inSize) }

    public func update(x xBuffer: FloatBuffer, d dBuffer: FloatBuffer, batch: Int, learningRate eta: Float) {
        let x = xBuffer.pointer, d = dBuffer.pointer
        guard eta != 0 else { return }
        let xq = scratch.ensure(2 * (outSize + inSize))
        let dq = xq + inSize
        let period = UInt64(config.transferEvery) * UInt64(batch)
        for b in 0..<batch {
            var g = algorithmKey.generator(events)
            events &+= 1
            let xb = x + b * inSize, db = d + b * outSize
            let xv: UnsafePointer<Float>, dv: UnsafePointer<Float>
            if config.nXBins > 0 && config.nDBins > 0 {
                quantize(xb, inSize, bins: config.nXBins, stochastic: config.stocRoundX, into: xq, &g)
                quantize(db, outSize, bins: config.nDBins, stochastic: config.stocRoundD, into: dq, &g)
                xv = UnsafePointer(xq); dv = UnsafePointer(dq)
            } else {
                xv = xb; dv = db
            }
            // χ ← χ + η·d·xᵀ (docs/algorithms.md step 2).
            DenseKernels.rankOneUpdate(weights: chi.pointer, out: outSize, in: inSize, x: xv, d: dv, alpha: eta)
            // Transfer check before the counter increments (step 3).
            if samples > 0 && period > 0 && samples % period == 0 { transfer(&g) }
            samples &+= 1
            totalSamples &+= 1
        }
    }

    /// Dynamic quantisation to ±⌊bins/2⌋ levels of max|v|/⌊bins/2⌋ (docs/algorithms.md step 1).
    private func quantize(_ v: UnsafePointer<Float>, _ n: Int, bins: Int, stochastic: Bool,
                          into out: UnsafeMutablePointer<Float>, _ g: inout Xoshiro256) {
        let half = Float(bins / 2)
        var m: Float = 0
        for k in 0..<n { m = max(m, abs(v[k])) }
        guard m > 0, half > 0 else { out.update(repeating: 0, count: n); return }
        let w = m / half
        for k in 0..<n {
            let r: Float = stochastic ? g.nextUniform() - 0.5 : 0
            out[k] = min(max(Rounding.toNearestEven(v[k] / w + r), -half), half) * w
        }
    }

    /// Writes the next rows: n_j = trunc(χ_rj/ε_g), χ_rj −= n_j·ε_g, W row r ← −ε_g·transfer_lr·n
    /// as pulses with update and BL management forced on.
    private func transfer(_ g: inout Xoshiro256) {
        let eps = transferGranularity
        let rows = config.nRowsPerTransfer <= 0 ? outSize : min(config.nRowsPerTransfer, outSize)
        let start = config.randomRow ? Int(g.next() % UInt64(outSize)) : nextRow
        var p = mainUpdate
        p.updateManagement = true
        p.updateBLManagement = true
        let n = scratch.pointer + 2 * inSize + 2 * outSize - inSize
        let c = chi.pointer
        for r in 0..<rows {
            let row = (start + r) % outSize
            var any = false
            for j in 0..<inSize {
                let k = row * inSize + j
                let count = Rounding.towardZero(c[k] / eps)
                c[k] -= count * eps
                n[j] = count
                if count != 0 { any = true }
            }
            if any {
                weightArray.engine.update(x: .dense(n), d: .oneHot(index: row, value: 1),
                                          learningRate: eps * config.transferLR, parameters: p)
            }
            rowsTransferred &+= 1
        }
        nextRow = (start + rows) % outSize
    }

    public func setWeights(_ weights: Matrix) {
        weights.storage.withUnsafeBufferPointer { weightArray.array.setWeights($0.baseAddress!) }
        chi.pointer.update(repeating: 0, count: chi.count)
        samples = 0
        nextRow = 0
    }

    public func weights() -> Matrix { weightArray.weights() }

    public func postUpdateStep() { weightArray.array.postUpdateStep() }

    public var pulseCounters: [(name: String, counters: PulseCounters)] { [("W", weightArray.engine.counters)] }
    public var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] { [("W.", weightArray.array)] }

    /// Samples since construction (``samples`` restarts at set_weights).
    public private(set) var totalSamples: UInt64 = 0

    /// Pulses per sample on W since construction (W is written by row transfers only).
    public var pulsesPerSample: [String: Double] {
        ["W": totalSamples > 0 ? Double(weightArray.engine.counters.total) / Double(totalSamples) : 0]
    }

    public func saveState(to archive: inout StateArchive, prefix: String) {
        weightArray.array.saveState(to: &archive, prefix: prefix + "W.")
        weightArray.engine.saveState(to: &archive, prefix: prefix + "W.")
        archive.put(prefix + "chi", UnsafeBufferPointer(start: chi.pointer, count: chi.count))
        archive.put(prefix + "mixed", words: [samples, UInt64(nextRow), rowsTransferred, events, totalSamples])
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        try weightArray.array.loadState(from: archive, prefix: prefix + "W.")
        try weightArray.engine.loadState(from: archive, prefix: prefix + "W.")
        try archive.read(prefix + "chi", into: UnsafeMutableBufferPointer(start: chi.pointer, count: chi.count))
        let w = try archive.words(prefix + "mixed")
        guard w.count == 5 else { throw archive.wrongSize(prefix + "mixed", 5, w.count) }
        samples = w[0]; rowsTransferred = w[2]; events = w[3]; totalSamples = w[4]
        nextRow = try archive.integer(w[1], of: prefix + "mixed", in: 0...(outSize - 1))
    }
}
