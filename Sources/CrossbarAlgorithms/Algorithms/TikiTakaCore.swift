import CrossbarFoundation
import CrossbarDevices

/// Tiki-Taka v1 (`TransferCompound`, docs/algorithms.md–3.2; Gokmen & Haensch 2020): every sample
/// updates A with stochastic pulses; every `transfer_every` samples (or mini-batches) the next
/// `n_reads_per_transfer` columns of A are read through the transfer IO and written onto C with
/// pulses, W_{k+1}[:, c] += lr_t · W_k[:, c] (no buffer).
public final class TikiTakaCore: TransferCoreBase, @unchecked Sendable {
    /// Next line to read, per array (spec's slice_idx).
    public private(set) var nextLine: [Int]

    override init(config: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int, seeds: SeedSet, path: String) {
        nextLine = [Int](repeating: 0, count: config.unitCellDevices.count)
        super.init(config: config, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
    }

    override func resetAlgorithmState() { nextLine = nextLine.map { _ in 0 } }

    /// Transfer k → k+1 (docs/algorithms.md): read the next lines of W_k, optionally reset them, and add
    /// lr_t times the read values to W_{k+1} with pulses.
    override func transfer(from k: Int, eta: Float) {
        var g = nextAlgorithmGenerator()
        let lines = reader.lineCount
        let lrT = transferLearningRate(k, eta)
        let start = config.randomSelection ? Int(g.next() % UInt64(lines)) : nextLine[k]
        let v = lineScratch.ensure(reader.lineLength)
        for r in 0..<config.nReadsPerTransfer {
            let line = (start + r) % lines
            reader.read(arrays[k].array, line: line, into: v)
            for i in 0..<reader.lineLength { v[i] = -v[i] }
            if config.withResetProb > 0, g.nextUniform() < config.withResetProb {
                if reader.columns {
                    arrays[k].array.resetColumn(line, probability: 1)
                } else {
                    arrays[k].array.resetRow(line, probability: 1)
                }
            }
            reader.write(arrays[k + 1].engine, line: line, d: v, learningRate: lrT, parameters: config.transferUpdate)
        }
        nextLine[k] = (start + config.nReadsPerTransfer) % lines
    }

    override func saveAlgorithmState(to archive: inout StateArchive, prefix: String) {
        archive.put(prefix + "next_line", words: nextLine.map { UInt64($0) })
    }

    override func loadAlgorithmState(from archive: StateArchive, prefix: String) throws {
        let w = try archive.words(prefix + "next_line")
        guard w.count == nextLine.count else { throw archive.wrongSize(prefix + "next_line", nextLine.count, w.count) }
        nextLine = w.map { Int($0) }
    }
}
