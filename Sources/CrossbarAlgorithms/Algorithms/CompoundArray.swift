import CrossbarFoundation
import CrossbarDevices

/// One device array of a compound (A, C, …) with its pulse engine.
public final class CompoundArray: @unchecked Sendable {
    /// "A", "C" (or "W0", "W1", … for more than two arrays).
    public let name: String
    public let array: PulsedDeviceArray
    public let engine: PulsedUpdateEngine

    init(name: String, device: DeviceConfig, rows: Int, cols: Int, construction: inout Xoshiro256,
         seeds: SeedSet, path: String) {
        self.name = name
        let noiseKey = seeds.key(.cycleNoise, path).child(name)
        array = PulsedDeviceArray(config: device, rows: rows, cols: cols, construction: &construction, noiseKey: noiseKey)
        engine = PulsedUpdateEngine(array: array, pulseKey: seeds.key(.pulses, path).child(name), noiseKey: noiseKey)
    }

    /// Visible weights of this array (exact copy; pending write noise drawn first).
    public func weights() -> Matrix { Matrix(rows: array.rows, cols: array.cols, storage: array.visibleWeights()) }
}
