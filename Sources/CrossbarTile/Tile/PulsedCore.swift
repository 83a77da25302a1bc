import CrossbarFoundation
import CrossbarDevices

/// In-memory SGD: one array of pulsed devices updated by stochastic pulse coincidences
/// (docs/devices.md, "The pulsed update"), each sample of a mini-batch a separate rank-one update with its own update
/// management (docs/devices.md, "The pulsed update" point 3).
public final class PulsedCore: TileCore, @unchecked Sendable {
    public let array: PulsedDeviceArray
    public let engine: PulsedUpdateEngine
    public let parameters: UpdateParameters
    public var outSize: Int { array.rows }
    public var inSize: Int { array.cols }

    /// Builds the device array (device-to-device draws from `construction`) and its update
    /// engine (pulse trains from `pulseKey`, device noise from `noiseKey`).
    public init(device: DeviceConfig, parameters: UpdateParameters, outSize: Int, inSize: Int,
                construction: inout Xoshiro256, pulseKey: StreamKey, noiseKey: StreamKey) {
        array = PulsedDeviceArray(config: device, rows: outSize, cols: inSize, construction: &construction,
                                  noiseKey: noiseKey)
        engine = PulsedUpdateEngine(array: array, pulseKey: pulseKey, noiseKey: noiseKey)
        self.parameters = parameters
    }

    public var readWeights: FloatBuffer { FloatBuffer(array.readWeights(), count: outSize * inSize) }

    public func update(x xBuffer: FloatBuffer, d dBuffer: FloatBuffer, batch: Int, learningRate: Float) {
        let x = xBuffer.pointer, d = dBuffer.pointer
        guard learningRate != 0 else { return }
        if parameters.pulseType == .none {
            // docs/devices.md, "The pulsed update" point 2: pulse type none is one exact GEMM for the mini-batch.
            DenseKernels.rankUpdate(weights: array.hidden.pointer, out: outSize, in: inSize, x: x, d: d, batch: batch,
                                    alpha: -learningRate)
            array.refreshAllWriteNoise(draw: false)
            engine.counters.updates &+= UInt64(batch)
            return
        }
        for b in 0..<batch {
            engine.update(x: .dense(x + b * inSize), d: .dense(d + b * outSize), learningRate: learningRate,
                          parameters: parameters)
        }
    }

    public func setWeights(_ weights: Matrix) {
        weights.storage.withUnsafeBufferPointer { array.setWeights($0.baseAddress!) }
    }

    public func weights() -> Matrix { Matrix(rows: outSize, cols: inSize, storage: array.visibleWeights()) }

    public func postUpdateStep() { array.postUpdateStep() }

    public var pulseCounters: [(name: String, counters: PulseCounters)] { [("W", engine.counters)] }
    public var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] { [("", array)] }

    public func saveState(to archive: inout StateArchive, prefix: String) {
        array.saveState(to: &archive, prefix: prefix)
        engine.saveState(to: &archive, prefix: prefix)
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        try array.loadState(from: archive, prefix: prefix)
        try engine.loadState(from: archive, prefix: prefix)
    }
}
