import Foundation
import CrossbarFoundation
import CrossbarDevices

/// Chopped-TTv2 (`ChoppedTransferCompound`, docs/algorithms.md; Rasch et al. 2023). The gradient is
/// accumulated on A with sign-modulated pulses ("choppers" c_in per input line, c_out per
/// output line); after every `transfer_every` samples one line of A is read, de-chopped with the
/// current chopper signs and accumulated in the digital buffer H (threshold 1, in units of
/// the buffer granularity); C receives one pulse per element whose |H| reaches 1. A static
/// offset of A (a reference that misses the symmetry point) enters H with alternating sign
/// and cancels over a chopper cycle. With in_chop_prob = 0 this is the reference simulator's
/// TTv2 preset.
public class ChoppedTransferCore: TransferCoreBase, @unchecked Sendable {
    /// The buffer H, row-major like W (dimensionless pulse counts; threshold 1).
    public let buffer: DeviceBuffer
    /// Input choppers (one per read line) and output choppers (one per element of a read
    /// line), each ±1; all +1 at construction.
    public package(set) var inChoppers: [Int8]
    public package(set) var outChoppers: [Int8]
    /// Running maxima m_x, m_d of |x| and |d| for auto_scale (0 = not started).
    public package(set) var runningMaxX: Float = 0
    public package(set) var runningMaxD: Float = 0
    /// Completed sweeps over all lines (spec's transfer_counter).
    public package(set) var sweeps: UInt64 = 0
    /// The next line to read.
    public package(set) var nextLine = 0
    /// Chopper flips so far (input choppers), for statistics.
    public package(set) var inChopperFlips: UInt64 = 0

    override init(config: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int, seeds: SeedSet, path: String) {
        buffer = DeviceBuffer(count: outSize * inSize)
        let lines = config.transferColumns ? inSize : outSize
        inChoppers = [Int8](repeating: 1, count: lines)
        outChoppers = [Int8](repeating: 1, count: config.transferColumns ? outSize : inSize)
        super.init(config: config, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
    }

    override func resetAlgorithmState() {
        buffer.pointer.update(repeating: 0, count: buffer.count)
        sweeps = 0
        nextLine = 0
    }

    /// Index of element i of line `line` in W's row-major storage.
    @inline(__always)
    func storageIndex(line: Int, element i: Int) -> Int {
        reader.columns ? i * inSize + line : line * inSize + i
    }

    /// ε of A and C.
    var epsA: Float { arrays[0].array.granularity }
    var epsC: Float { arrays[1].array.granularity }

    /// Transfer cycle in vectors (docs/algorithms.md `getTransferEvery`): < 0 ⇒ automatic,
    /// max(1, round(n_states_A / lines · |transfer_every|)).
    func choppedTransferEvery(mBatch: Int) -> Int {
        if config.transferEvery < 0 {
            let states = config.unitCellDevices[0].numberOfStates
            return max(1, Int(saturating: (states / Float(reader.lineCount) * abs(config.transferEvery)).rounded()))
        }
        return transferCycle(0, mBatch: mBatch)
    }

    /// Fast learning rate of A (docs/algorithms.md): with auto_scale,
    /// η_A = fast_lr · desired_bl · ε_A / (m_x · m_d), times η if scale_fast_lr.
    func choppedFastLearningRate(_ eta: Float) -> Float {
        guard config.autoScale && config.fastLR > 0 else { return fastLearningRate(eta) }
        var lr = config.fastLR * Float(mainUpdate.desiredBL) * epsA
        if runningMaxX > 0 && runningMaxD > 0 { lr /= runningMaxX * runningMaxD }
        return config.scaleFastLR ? lr * eta : lr
    }

    /// Per-sample running maxima (docs/algorithms.md): the first non-zero value is taken as is, then
    /// m ← (1 − τ)m + τ·new with τ = (1 − auto_momentum)/m_batch; zero values are skipped.
    func updateRunningMaxima(x: UnsafePointer<Float>, d: UnsafePointer<Float>, mBatch: Int) {
        var xm: Float = 0, dm: Float = 0
        for j in 0..<inSize { xm = max(xm, abs(x[j])) }
        for i in 0..<outSize { dm = max(dm, abs(d[i])) }
        let tau = (1 - config.autoMomentum) / Float(mBatch)
        if xm > 0 { runningMaxX = runningMaxX == 0 ? xm : (1 - tau) * runningMaxX + tau * xm }
        if dm > 0 { runningMaxD = runningMaxD == 0 ? dm : (1 - tau) * runningMaxD + tau * dm }
    }

    /// Buffer granularity bg and the buffer increment per read unit, lr_scale (docs/algorithms.md).
    func bufferScale(eta: Float, etaA: Float, every: Int) -> Float {
        var bg = (config.bufferGranularity > 0 ? config.bufferGranularity : 1) * epsA
        if config.autoGranularity > 0 {
            // The reference divides by in_size·|transfer_every|; we use the effective cycle
            // length in vectors (identical for the presets, transfer_every = 1).
            bg *= config.autoGranularity / (Float(reader.lineCount) * Float(max(every, 1)))
        }
        var lrT = config.transferLR * (config.scaleTransferLR ? eta : 1)
        if gammas[0] > 0 && gammas[1] > 0 { lrT *= gammas[0] / gammas[1] }
        if config.correctGradientMagnitudes {
            return abs(lrT) / etaA / (bg * epsC / epsA)
        }
        return abs(lrT) / bg
    }

    public override func update(x xBuffer: FloatBuffer, d dBuffer: FloatBuffer, batch: Int, learningRate eta: Float) {
        let x = xBuffer.pointer, d = dBuffer.pointer
        guard eta != 0 else { return }
        let every = choppedTransferEvery(mBatch: batch)
        for b in 0..<batch {
            let xb = x + b * inSize, db = d + b * outSize
            if config.autoScale { updateRunningMaxima(x: xb, d: db, mBatch: batch) }
            let etaA = choppedFastLearningRate(eta)
            // The chopper pointers are taken per sample: a transfer may flip a chopper, and the
            // next sample of the same mini-batch must see the new sign (pointers held across the
            // transfer would point at the array's old storage after its copy-on-write).
            inChoppers.withUnsafeBufferPointer { cin in
                outChoppers.withUnsafeBufferPointer { cout in
                    let xs = reader.columns ? cin.baseAddress! : cout.baseAddress!
                    let ds = reader.columns ? cout.baseAddress! : cin.baseAddress!
                    updateFast(x: xb, d: db, learningRate: etaA, xSigns: xs, dSigns: ds)
                }
            }
            samples &+= 1
            if every > 0 && samples % UInt64(every) == 0 {
                transferLine(eta: eta, etaA: etaA, every: every)
            }
        }
        markChanged()
    }

    /// One transfer event (docs/algorithms.md `readAndUpdate`): read the next line of A, de-chop,
    /// accumulate in H, write C where |H| ≥ 1, then update the choppers.
    func transferLine(eta: Float, etaA: Float, every: Int) {
        var g = nextAlgorithmGenerator()
        let line = nextLine
        let len = reader.lineLength
        let v = lineScratch.ensure(2 * len)
        let steps = v + len
        reader.read(arrays[0].array, line: line, into: v)
        let lrScale = bufferScale(eta: eta, etaA: etaA, every: every)
        let bl = Float(config.transferUpdate.desiredBL)
        let h = buffer.pointer
        let cin = inChoppers[line]
        var any = false
        outChoppers.withUnsafeBufferPointer { cout in
            for i in 0..<len {
                var value = v[i] * lrScale
                if cin != cout[i] { value = -value }
                let idx = storageIndex(line: line, element: i)
                var omega = (config.noBuffer ? 0 : h[idx]) + value
                var n: Float = 0
                if abs(omega) >= 1 {
                    n = min(max(Rounding.towardZero(omega), -bl), bl)
                    omega = config.forgetBuffer ? config.momentum * omega : omega - (1 - config.momentum) * n
                    any = true
                }
                h[idx] = omega
                steps[i] = -n
            }
        }
        if any {
            reader.write(arrays[1].engine, line: line, d: steps, learningRate: config.step * epsC,
                         parameters: config.transferUpdate)
        }
        // Choppers change after the read and write of the line.
        if config.inChopProb > 0 {
            let flip: Bool
            if config.inChopRandom {
                flip = g.nextUniform() < config.inChopProb
            } else {
                let period = config.chopperPeriod
                flip = (sweeps % period) + 1 == period
            }
            if flip { inChoppers[line] = -inChoppers[line]; inChopperFlips &+= 1 }
        }
        finishLine(line, &g)
    }

    /// End-of-line bookkeeping: output chopper flips and the sweep counter after the last line.
    func finishLine(_ line: Int, _ g: inout Xoshiro256) {
        if line == reader.lineCount - 1 {
            if config.outChopProb > 0 {
                for i in outChoppers.indices where g.nextUniform() < config.outChopProb { outChoppers[i] = -outChoppers[i] }
            }
            sweeps &+= 1
        }
        nextLine = (line + 1) % reader.lineCount
    }

    /// γ ≠ 0: W = C + γ·(c_out,i·c_in,j)·A_ij, de-chopped in row-major indexing (the intended
    /// form of docs/algorithms.md §7).
    override func visibleContribution(of k: Int, gamma: Float, into w: UnsafeMutablePointer<Float>) {
        guard k == 0 else { return super.visibleContribution(of: k, gamma: gamma, into: w) }
        let a = arrays[0].array.readWeights()
        for i in 0..<outSize {
            for j in 0..<inSize {
                let sign: Int8 = reader.columns ? outChoppers[i] * inChoppers[j] : inChoppers[i] * outChoppers[j]
                w[i * inSize + j] += gamma * Float(sign) * a[i * inSize + j]
            }
        }
    }

    override func saveAlgorithmState(to archive: inout StateArchive, prefix: String) {
        archive.put(prefix + "H", UnsafeBufferPointer(start: buffer.pointer, count: buffer.count))
        archive.put(prefix + "choppers", bytes: inChoppers.map { UInt8(bitPattern: $0) } + outChoppers.map { UInt8(bitPattern: $0) })
        archive.put(prefix + "running_max", [runningMaxX, runningMaxD])
        archive.put(prefix + "chopped", words: [sweeps, UInt64(nextLine), inChopperFlips])
    }

    override func loadAlgorithmState(from archive: StateArchive, prefix: String) throws {
        try archive.read(prefix + "H", into: UnsafeMutableBufferPointer(start: buffer.pointer, count: buffer.count))
        let c = try archive.bytes(prefix + "choppers")
        guard c.count == inChoppers.count + outChoppers.count else {
            throw archive.wrongSize(prefix + "choppers", inChoppers.count + outChoppers.count, c.count)
        }
        inChoppers = c[0..<inChoppers.count].map { Int8(bitPattern: $0) }
        outChoppers = c[inChoppers.count...].map { Int8(bitPattern: $0) }
        let m = try archive.floats(prefix + "running_max")
        guard m.count == 2 else { throw archive.wrongSize(prefix + "running_max", 2, m.count) }
        runningMaxX = m[0]; runningMaxD = m[1]
        let w = try archive.words(prefix + "chopped")
        guard w.count == 3 else { throw archive.wrongSize(prefix + "chopped", 3, w.count) }
        sweeps = w[0]; inChopperFlips = w[2]
        nextLine = try archive.integer(w[1], of: prefix + "chopped", in: 0...(reader.lineCount - 1))
    }
}
