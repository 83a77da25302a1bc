import CrossbarFoundation
import CrossbarDevices
import CrossbarTile

/// Reads one column (forward pass with a one-hot input, `transfer_columns`) or one row
/// (backward pass) of a compound array through the transfer IO (docs/algorithms.md: `transfer_forward`
/// with noise and bound management forced off). O(rows) per read of a column.
final class TransferReader: @unchecked Sendable {
    let mvm: AnalogMVM
    let columns: Bool
    let rows: Int
    let cols: Int
    /// Lines read so far (the bookkeeping of docs/algorithms.md §11).
    var reads: UInt64 = 0

    init(io: IOParameters, columns: Bool, rows: Int, cols: Int, key: StreamKey, construction: inout Xoshiro256) {
        var p = io
        p.noiseManagement = .none
        p.boundManagement = .none
        mvm = AnalogMVM(io: p, direction: columns ? .forward : .backward, inputSize: columns ? cols : rows,
                        outputSize: columns ? rows : cols, key: key, construction: &construction)
        self.columns = columns
        self.rows = rows
        self.cols = cols
    }

    /// Number of values a read returns (rows for column reads, cols for row reads).
    var lineLength: Int { columns ? rows : cols }
    /// Number of lines (cols for column reads, rows for row reads).
    var lineCount: Int { columns ? cols : rows }

    /// Reads line `index` of `array` into `out` (length ``lineLength``).
    func read(_ array: PulsedDeviceArray, line index: Int, into out: UnsafeMutablePointer<Float>) {
        reads &+= 1
        if columns { array.materializeWriteNoise(column: index) } else { array.materializeWriteNoise(row: index) }
        let w = UnsafePointer((array.apparent ?? array.hidden).pointer)
        if columns {
            mvm.readOneHot(weights: w, index: index, value: 1, indexStride: 1, lineStride: cols, output: out)
        } else {
            mvm.readOneHot(weights: w, index: index, value: 1, indexStride: cols, lineStride: 1, output: out)
        }
    }

    /// Writes `values` (length ``lineLength``) into line `index` of `array` as pulses:
    /// W ← W − lr · d xᵀ with the one-hot on the line side.
    func write(_ engine: PulsedUpdateEngine, line index: Int, d values: UnsafePointer<Float>, learningRate: Float,
               parameters: UpdateParameters) {
        if columns {
            engine.update(x: .oneHot(index: index, value: 1), d: .dense(values), learningRate: learningRate, parameters: parameters)
        } else {
            engine.update(x: .dense(values), d: .oneHot(index: index, value: 1), learningRate: learningRate, parameters: parameters)
        }
    }
}
