import CPulseKernels
import CrossbarFoundation

/// Everything a row chunk of one sample's pulsed update reads, gathered once per sample by
/// ``PulsedUpdateEngine/makeContext(_:)`` (so the parallel chunks read plain values instead of
/// the engine's mutable properties). The pointers are the engine's scratch buffers as the
/// sample's bit-line or count pass left them; the counts and flags come from its
/// ``SamplePulsePlan``.
struct PulseChunkContext {
    let cols: Int
    /// Per row: bit line (`words` UInt64), sign (1 = negative), deterministic count factor.
    let rowMasks: UnsafeMutablePointer<UInt64>
    let rowNeg: UnsafeMutablePointer<UInt8>
    let rowValue: UnsafeMutablePointer<Float>
    /// Per active column a (a < activeCount): bit line, column index, sign, count factor.
    let masks: UnsafeMutablePointer<UInt64>
    let idx: UnsafeMutablePointer<Int32>
    let neg: UnsafeMutablePointer<UInt8>
    let values: UnsafeMutablePointer<Float>
    /// Slot lists (valid when `useSlots`).
    let slotStart: UnsafeMutablePointer<Int32>
    let slotCols: UnsafeMutablePointer<Int32>
    let slotNeg: UnsafeMutablePointer<UInt8>
    let activeCount: Int
    /// Some rows fire in one slot: their columns come from the slot lists.
    let useSlots: Bool
    /// ``SamplePulsePlan/columnFiringRate``, in [0, 1].
    let rate: Float
    let perDevice: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>)?
    /// Dense-row pass: per column (indexed by the column) low/high 32 mask bits and sign ±1.
    let denseMaskLow: UnsafeMutablePointer<UInt32>
    let denseMaskHigh: UnsafeMutablePointer<UInt32>?
    let denseSign: UnsafeMutablePointer<Int32>
    /// ``SamplePulsePlan/uniformColumnSign`` (+1, −1 or 0).
    let uniformSign: Int32
    /// Per-chunk scratch of the C kernel, `rowStride` (fallback: rowStride + 8) elements per chunk.
    let rowCounts: UnsafeMutablePointer<Int32>
    let rowNoise: UnsafeMutablePointer<Float>
    let rowFallback: UnsafeMutablePointer<Int32>
    let rowStride: Int
    /// ``NoiseSource/scratchFloats`` floats per chunk.
    let noiseScratch: UnsafeMutablePointer<Float>
    let noiseKey: StreamKey
    let rowsPerChunk: Int
    let rows: Int
    /// Per chunk: up and down pulses applied (written by the chunk).
    let up: UnsafeMutablePointer<UInt64>
    let down: UnsafeMutablePointer<UInt64>

    /// The rows r0..<r1 of `chunk`.
    @inline(__always)
    func rowRange(chunk: Int) -> (r0: Int, r1: Int) {
        let r0 = chunk * rowsPerChunk
        return (r0, min(rows, r0 + rowsPerChunk))
    }

    /// The device-noise source of `chunk` in `sample` (`noiseKey.generator(sample, chunk)`).
    @inline(__always)
    func noiseSource(sample: UInt64, chunk: Int) -> NoiseSource {
        NoiseSource(noiseKey.generator(sample, UInt64(chunk)), scratch: noiseScratch + chunk * NoiseSource.scratchFloats)
    }

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
