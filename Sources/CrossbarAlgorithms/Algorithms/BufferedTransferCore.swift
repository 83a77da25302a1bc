import CrossbarFoundation
import CrossbarDevices

/// TTv2 (`BufferedTransferCompound`, docs/algorithms.md; Gokmen 2021): like Tiki-Taka v1, but the
/// read values of A are accumulated in a digital buffer H, and C receives at most
/// `transfer_update.desired_bl` pulses per element when |H| crosses the threshold
/// θ = thres_scale·ε_C.
public final class BufferedTransferCore: TransferCoreBase, @unchecked Sendable {
    /// Next line to read, per array pair.
    public private(set) var nextLine: [Int]
    /// The buffers H_k (one per transfer k → k+1), row-major like W.
    public let buffers: [DeviceBuffer]

    override init(config: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int, seeds: SeedSet, path: String) {
        nextLine = [Int](repeating: 0, count: config.unitCellDevices.count)
        buffers = (0..<(config.unitCellDevices.count - 1)).map { _ in DeviceBuffer(count: outSize * inSize) }
        super.init(config: config, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
    }

    override func resetAlgorithmState() {
        nextLine = nextLine.map { _ in 0 }
        for h in buffers { h.pointer.update(repeating: 0, count: h.count) }
    }

    /// docs/algorithms.md: ω = H + |lr_t|·v, n = clamp(trunc(ω/θ), ±BL), H ← momentum·ω (forget) or
    /// ω − (1 − momentum)·n·θ; then one pulsed write of C's line with d = −n, lr = step·ε_C.
    override func transfer(from k: Int, eta: Float) {
        _ = nextAlgorithmGenerator()
        let source = arrays[k], destination = arrays[k + 1]
        let epsC = destination.array.granularity
        let theta = config.thresScale * epsC
        let bl = Float(config.transferUpdate.desiredBL)
        var lrT = transferLearningRate(k, eta)
        if gammas[k] > 0 && gammas[k + 1] > 0 { lrT *= gammas[k] / gammas[k + 1] }
        let len = reader.lineLength
        let v = lineScratch.ensure(2 * len)
        let steps = v + len
        let h = buffers[k].pointer
        for r in 0..<config.nReadsPerTransfer {
            let line = (nextLine[k] + r) % reader.lineCount
            reader.read(source.array, line: line, into: v)
            var any = false
            for i in 0..<len {
                let idx = reader.columns ? i * inSize + line : line * inSize + i
                let omega = h[idx] + abs(lrT) * v[i]
                let n = min(max(Rounding.towardZero(omega / theta), -bl), bl)
                if n != 0 {
                    h[idx] = config.forgetBuffer ? config.momentum * omega : omega - (1 - config.momentum) * n * theta
                    any = true
                } else {
                    h[idx] = omega
                }
                steps[i] = -n
            }
            if any {
                reader.write(destination.engine, line: line, d: steps, learningRate: config.step * epsC,
                             parameters: config.transferUpdate)
            }
        }
        nextLine[k] = (nextLine[k] + config.nReadsPerTransfer) % reader.lineCount
    }

    override func saveAlgorithmState(to archive: inout StateArchive, prefix: String) {
        archive.put(prefix + "next_line", words: nextLine.map { UInt64($0) })
        for (k, h) in buffers.enumerated() { archive.put(prefix + "H\(k)", UnsafeBufferPointer(start: h.pointer, count: h.count)) }
    }

    override func loadAlgorithmState(from archive: StateArchive, prefix: String) throws {
        let w = try archive.words(prefix + "next_line")
        guard w.count == nextLine.count else { throw archive.wrongSize(prefix + "next_line", nextLine.count, w.count) }
        nextLine = w.map { Int($0) }
        for (k, h) in buffers.enumerated() {
            try archive.read(prefix + "H\(k)", into: UnsafeMutableBufferPointer(start: h.pointer, count: h.count))
        }
    }
}
