import CrossbarFoundation
import CrossbarDevices
import CrossbarTile

/// Machinery shared by the transfer compounds (docs/algorithms.md): the arrays [A, C, …], the visible
/// weight W = Σ γ_k W_k (or W = C when fully hidden), the fast learning rate of A, the
/// transfer reader and the sample counter.
public class TransferCoreBase: TileCore, @unchecked Sendable {
    public let config: CompoundConfig
    /// The main update parameters (used for the pulses onto A).
    public let mainUpdate: UpdateParameters
    public let arrays: [CompoundArray]
    public let outSize: Int
    public let inSize: Int
    /// γ_k of W = Σ γ_k W_k.
    public let gammas: [Float]
    /// True when W is the last array alone (γ = 0).
    public let fullyHidden: Bool
    let reader: TransferReader
    let algorithmKey: StreamKey
    /// Vector updates since the last set_weights (docs/algorithms.md counter u; checkpointed).
    public package(set) var samples: UInt64 = 0
    /// Transfer events so far (the counter of the algorithm's random stream; checkpointed).
    public package(set) var transferEvents: UInt64 = 0

    private let visible: DeviceBuffer?
    private var visibleStale = true
    let lineScratch: ScratchBuffer<Float>

    init(config: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int, seeds: SeedSet, path: String) {
        self.config = config
        mainUpdate = update
        self.outSize = outSize
        self.inSize = inSize
        let n = config.unitCellDevices.count
        var construction = AnalogTile.constructionGenerator(constructionSeed: config.unitCellDevices[0].constructionSeed,
                                                            seeds: seeds, path: path)
        let names = n == 2 ? ["A", "C"] : (0..<n).map { "W\($0)" }
        arrays = (0..<n).map { k in
            CompoundArray(name: names[k], device: config.unitCellDevices[k], rows: outSize, cols: inSize,
                          construction: &construction, seeds: seeds, path: path)
        }
        if !config.gammaVec.isEmpty {
            gammas = config.gammaVec
        } else {
            gammas = (0..<n).map { k in Float(pow(Double(config.gamma), Double(n - 1 - k))) }.enumerated()
                .map { k, g in k == n - 1 ? 1 : (config.gamma == 0 ? 0 : g) }
        }
        fullyHidden = gammas.dropLast().allSatisfy { $0 == 0 } && gammas.last == 1
        visible = fullyHidden ? nil : DeviceBuffer(count: outSize * inSize)
        reader = TransferReader(io: config.transferForward, columns: config.transferColumns, rows: outSize, cols: inSize,
                                key: seeds.key(.mvmNoise, path).child("transfer"), construction: &construction)
        algorithmKey = seeds.key(.algorithm, path)
        lineScratch = ScratchBuffer<Float>(capacity: 4 * max(outSize, inSize))
    }

    // MARK: Learning rates

    /// The fast ("pulse count") learning rate of A for SGD rate η (docs/algorithms.md).
    func fastLearningRate(_ eta: Float) -> Float {
        if config.fastLR > 0 { return config.scaleFastLR ? config.fastLR * eta : config.fastLR }
        return eta
    }

    /// Transfer learning rate of transfer k → k+1.
    func transferLearningRate(_ k: Int, _ eta: Float) -> Float {
        let base = config.transferLRVec.isEmpty ? config.transferLR : config.transferLRVec[min(k, config.transferLRVec.count - 1)]
        return config.scaleTransferLR ? base * eta : base
    }

    /// Cycle length in vectors of transfer k (docs/algorithms.md; 0 disables), for mini-batch size `mBatch`.
    func transferCycle(_ k: Int, mBatch: Int) -> Int {
        let n = arrays.count
        var every: Float
        if !config.transferEveryVec.isEmpty {
            every = config.transferEveryVec[k]
        } else {
            // Geometric: device k+1 transfers once per full sweep of device k (in_size lines
            // per sweep; the reference code uses out_size here, docs/algorithms.md §7).
            every = config.transferEvery
            for _ in 0..<k { every *= Float(reader.lineCount) / Float(config.nReadsPerTransfer) }
            if k == n - 1 && config.noSelfTransfer { every = 0 }
        }
        if every <= 0 { return 0 }
        return config.unitsInMbatch ? Int(saturating: (every * Float(mBatch)).rounded(.up)) : max(Int(every.rounded()), 1)
    }

    /// A generator for the random decisions of the next transfer event.
    func nextAlgorithmGenerator() -> Xoshiro256 {
        defer { transferEvents &+= 1 }
        return algorithmKey.generator(transferEvents)
    }

    // MARK: Visible weights

    func markChanged() { visibleStale = true }

    public var readWeights: FloatBuffer {
        if fullyHidden { return FloatBuffer(arrays[arrays.count - 1].array.readWeights(), count: outSize * inSize) }
        if visibleStale { computeVisible() }
        return FloatBuffer(visible!.pointer, count: outSize * inSize)
    }

    /// W = Σ γ_k W_k (chopped compounds de-chop A, see ``visibleContribution(of:gamma:into:)``).
    private func computeVisible() {
        let w = visible!.pointer
        let count = outSize * inSize
        w.initialize(repeating: 0, count: count)
        for k in arrays.indices where gammas[k] != 0 {
            visibleContribution(of: k, gamma: gammas[k], into: w)
        }
        visibleStale = false
    }

    /// Adds γ_k · W_k to `w` (overridden by the chopped compounds to de-chop A).
    func visibleContribution(of k: Int, gamma: Float, into w: UnsafeMutablePointer<Float>) {
        let src = arrays[k].array.readWeights()
        for i in 0..<(outSize * inSize) { w[i] += gamma * src[i] }
    }

    public func weights() -> Matrix {
        Matrix(rows: outSize, cols: inSize, copying: readWeights)
    }

    /// set_weights (docs/algorithms.md): all arrays 0, the last one W/γ_last (clipped by its devices);
    /// counters restart, so A starts at 0.
    public func setWeights(_ weights: Matrix) {
        let zeros = [Float](repeating: 0, count: outSize * inSize)
        for (k, a) in arrays.enumerated() {
            if k == arrays.count - 1 {
                let scaled = weights.storage.map { $0 / gammas[k] }
                scaled.withUnsafeBufferPointer { a.array.setWeights($0.baseAddress!) }
            } else {
                zeros.withUnsafeBufferPointer { a.array.setWeights($0.baseAddress!) }
            }
        }
        samples = 0
        resetAlgorithmState()
        markChanged()
    }

    /// Restarts algorithm-specific state on set_weights (buffers, counters).
    func resetAlgorithmState() {}

    public func postUpdateStep() {
        for a in arrays { a.array.postUpdateStep() }
        markChanged()
    }

    public var pulseCounters: [(name: String, counters: PulseCounters)] { arrays.map { ($0.name, $0.engine.counters) } }
    public var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] { arrays.map { ($0.name + ".", $0.array) } }

    /// Pulses per sample on A, C (…) since construction. A receives one rank-one update per
    /// sample, so its `updates` counter is the sample count; the transfer writes onto C are
    /// counted per write event and are not samples.
    public var pulsesPerSample: [String: Double] {
        let n = arrays[0].engine.counters.updates
        var result: [String: Double] = [:]
        for a in arrays { result[a.name] = n > 0 ? Double(a.engine.counters.total) / Double(n) : 0 }
        return result
    }

    /// Column (or row) reads of A so far.
    public var transferReads: UInt64 { reader.reads }

    /// Per sample: the pulsed update of A, then every transfer k → k+1 whose cycle ends
    /// (`transfer(from:eta:)`, the subclass' rule). The chopped compounds override the loop.
    public func update(x xBuffer: FloatBuffer, d dBuffer: FloatBuffer, batch: Int, learningRate eta: Float) {
        let x = xBuffer.pointer, d = dBuffer.pointer
        guard eta != 0 else { return }
        let etaA = fastLearningRate(eta)
        for b in 0..<batch {
            updateFast(x: x + b * inSize, d: d + b * outSize, learningRate: etaA)
            samples &+= 1
            for k in 0..<(arrays.count - 1) {
                let every = transferCycle(k, mBatch: batch)
                if every > 0 && samples % UInt64(every) == 0 { transfer(from: k, eta: eta) }
            }
        }
        markChanged()
    }

    /// One transfer from array k to array k + 1 (Tiki-Taka v1: pulses straight from the read;
    /// TTv2: through the buffer H).
    func transfer(from k: Int, eta: Float) {
        preconditionFailure("\(type(of: self)) has no transfer rule")
    }

    /// The A update of one sample: W_A ← W_A − η_A·d·xᵀ as pulses (with optional choppers).
    @inline(__always)
    func updateFast(x: UnsafePointer<Float>, d: UnsafePointer<Float>, learningRate: Float,
                    xSigns: UnsafePointer<Int8>? = nil, dSigns: UnsafePointer<Int8>? = nil) {
        arrays[0].engine.update(x: .dense(x), d: .dense(d), learningRate: learningRate, parameters: mainUpdate,
                                xSigns: xSigns, dSigns: dSigns)
    }

    // MARK: State

    public func saveState(to archive: inout StateArchive, prefix: String) {
        for a in arrays {
            a.array.saveState(to: &archive, prefix: prefix + a.name + ".")
            a.engine.saveState(to: &archive, prefix: prefix + a.name + ".")
        }
        archive.put(prefix + "compound", words: [samples, transferEvents, reader.reads, reader.mvm.callCount])
        saveAlgorithmState(to: &archive, prefix: prefix)
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        for a in arrays {
            try a.array.loadState(from: archive, prefix: prefix + a.name + ".")
            try a.engine.loadState(from: archive, prefix: prefix + a.name + ".")
        }
        let w = try archive.words(prefix + "compound")
        guard w.count == 4 else { throw archive.wrongSize(prefix + "compound", 4, w.count) }
        samples = w[0]; transferEvents = w[1]; reader.reads = w[2]; reader.mvm.callCount = w[3]
        try loadAlgorithmState(from: archive, prefix: prefix)
        markChanged()
    }

    func saveAlgorithmState(to archive: inout StateArchive, prefix: String) {}
    func loadAlgorithmState(from archive: StateArchive, prefix: String) throws {}
}

import Foundation
