import CrossbarFoundation
import CrossbarDevices

/// AGAD (`DynamicTransferCompound`, docs/algorithms.md; Rasch et al. 2023): c-TTv2 without a
/// programmed reference. For every element a running mean M of A's reads is kept; when the
/// chopper of a line flips, M becomes the line's reference P ("the mean of the last chopper
/// period"), and H accumulates the de-chopped difference of the reads from P. Any static
/// offset of A cancels in that difference. C is written only after a warm-up of one chopper
/// period.
///
/// Deviations from the reference CPU code, both in the documented (intended) direction
/// (docs/algorithms.md): output choppers flip with out_chop_prob as in c-TTv2 (the CPU code
/// never flips them, docs/algorithms.md §7; the default out_chop_prob = 0 behaves identically), and
/// buffer_cap clips H after every read when > 0.
public final class DynamicTransferCore: ChoppedTransferCore, @unchecked Sendable {
    /// Running mean M of the reads (the paper's p), and the reference P (p_ref).
    public let runningMean: DeviceBuffer
    public let reference: DeviceBuffer
    /// Per line: the chopper flipped since the line's last read.
    public package(set) var switched: [Bool]

    override init(config: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int, seeds: SeedSet, path: String) {
        runningMean = DeviceBuffer(count: outSize * inSize)
        reference = DeviceBuffer(count: outSize * inSize)
        switched = [Bool](repeating: false, count: config.transferColumns ? inSize : outSize)
        super.init(config: config, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
    }

    override func resetAlgorithmState() {
        super.resetAlgorithmState()
        runningMean.pointer.update(repeating: 0, count: runningMean.count)
        reference.pointer.update(repeating: 0, count: reference.count)
        switched = switched.map { _ in false }
    }

    /// The chopper half-period N in sweeps (``CompoundConfig/chopperPeriod``).
    public var chopperPeriod: UInt64 { config.chopperPeriod }

    /// True while C is not yet written (the first chopper period).
    public var inWarmUp: Bool { sweeps <= chopperPeriod }

    override func transferLine(eta: Float, etaA: Float, every: Int) {
        var g = nextAlgorithmGenerator()
        let line = nextLine
        let len = reader.lineLength
        let v = lineScratch.ensure(2 * len)
        let steps = v + len
        reader.read(arrays[0].array, line: line, into: v)
        let period = chopperPeriod
        let beta = min(config.tailWeightening / Float(period), 1)
        let position = (sweeps % period) + 1
        var lrScale = bufferScale(eta: eta, etaA: etaA, every: every)
        if config.experimentalCorrectAccumulation { lrScale /= min(Float(position), 1 / epsA) }
        let bl = Float(config.transferUpdate.desiredBL)
        let cap = config.bufferCap * bl
        let h = buffer.pointer, mean = runningMean.pointer, ref = reference.pointer
        if switched[line] {
            for i in 0..<len {
                let idx = storageIndex(line: line, element: i)
                ref[idx] = mean[idx]
            }
            switched[line] = false
        }
        let cin = inChoppers[line]
        var any = false
        outChoppers.withUnsafeBufferPointer { cout in
            for i in 0..<len {
                let idx = storageIndex(line: line, element: i)
                var delta = v[i] - ref[idx]
                if cin != cout[i] { delta = -delta }
                var omega = h[idx] + delta * lrScale
                var n: Float = 0
                if abs(omega) >= 1 {
                    n = min(max(Rounding.towardZero(omega), -bl), bl)
                    omega = config.forgetBuffer ? config.momentum * omega : omega - (1 - config.momentum) * n
                    any = true
                }
                if cap > 0 { omega = min(max(omega, -cap), cap) }
                h[idx] = omega
                mean[idx] = (1 - beta) * mean[idx] + beta * v[i]
                steps[i] = -n
            }
        }
        if any && sweeps > period {
            reader.write(arrays[1].engine, line: line, d: steps, learningRate: config.step * epsC,
                         parameters: config.transferUpdate)
        }
        let flip = position == period || (config.inChopRandom && g.nextUniform() < config.inChopProb)
        if flip {
            inChoppers[line] = -inChoppers[line]
            inChopperFlips &+= 1
            switched[line] = true
        }
        finishLine(line, &g)
    }

    override func saveAlgorithmState(to archive: inout StateArchive, prefix: String) {
        super.saveAlgorithmState(to: &archive, prefix: prefix)
        archive.put(prefix + "running_mean", UnsafeBufferPointer(start: runningMean.pointer, count: runningMean.count))
        archive.put(prefix + "reference", UnsafeBufferPointer(start: reference.pointer, count: reference.count))
        archive.put(prefix + "switched", bytes: switched.map { $0 ? 1 : 0 })
    }

    override func loadAlgorithmState(from archive: StateArchive, prefix: String) throws {
        try super.loadAlgorithmState(from: archive, prefix: prefix)
        try archive.read(prefix + "running_mean", into: UnsafeMutableBufferPointer(start: runningMean.pointer, count: runningMean.count))
        try archive.read(prefix + "reference", into: UnsafeMutableBufferPointer(start: reference.pointer, count: reference.count))
        let s = try archive.bytes(prefix + "switched")
        guard s.count == switched.count else { throw archive.wrongSize(prefix + "switched", switched.count, s.count) }
        switched = s.map { $0 != 0 }
    }
}
