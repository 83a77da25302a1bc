import CrossbarKit
import Foundation

/// Shared builders for the algorithm tests.
enum AlgorithmFixtures {
    /// A noise-free constant-step device without device-to-device spread: every pulse changes
    /// the weight by exactly ±dw_min (within the wide bounds ±`bound`).
    static func exactDevice(dwMin: Float = 0.01, bound: Float = 10) -> DeviceConfig {
        var d = DeviceConfig(model: .constantStep)
        d.dwMin = dwMin
        d.dwMinDtod = 0
        d.dwMinStd = 0
        d.upDownDtod = 0
        d.wMax = bound
        d.wMin = -bound
        d.wMaxDtod = 0
        d.wMinDtod = 0
        return d
    }

    /// A tile of `out`×`in` with the compound `c` (perfect forward/backward IO).
    static func tile(_ c: CompoundConfig, out: Int, in inSize: Int, update: UpdateParameters = UpdateParameters(),
                     seed: UInt64 = 1) throws -> AnalogTile {
        let config = TileConfiguration(forward: .perfect, backward: .perfect, update: update, device: .compound(c))
        return try AnalogTile(outSize: out, inSize: inSize, configuration: config, seeds: SeedSet(master: seed), path: "test")
    }

    /// Runs `samples` single-sample updates with inputs and errors drawn from `g` (x ~ U(−1, 1),
    /// d ~ U(−1, 1)·dScale), in mini-batches of `batch`.
    static func train(_ tile: AnalogTile, samples: Int, batch: Int = 1, learningRate: Float = 0.1, dScale: Float = 1,
                      seed: UInt64 = 7) {
        var g = Xoshiro256(seed: seed)
        var x = [Float](repeating: 0, count: batch * tile.inSize)
        var d = [Float](repeating: 0, count: batch * tile.outSize)
        var done = 0
        while done < samples {
            let b = min(batch, samples - done)
            for k in 0..<(b * tile.inSize) { x[k] = 2 * g.nextUniform() - 1 }
            for k in 0..<(b * tile.outSize) { d[k] = (2 * g.nextUniform() - 1) * dScale }
            tile.update(x: x, d: d, batch: b, learningRate: learningRate)
            done += b
        }
    }
}

extension AnalogTile {
    /// Unchecked update from arrays (test convenience).
    func update(x: [Float], d: [Float], batch: Int, learningRate: Float) {
        x.withUnsafeBufferPointer { xp in
            d.withUnsafeBufferPointer { dp in
                update(x: FloatBuffer(xp.baseAddress!, count: xp.count), d: FloatBuffer(dp.baseAddress!, count: dp.count), batch: batch,
                       learningRate: learningRate)
            }
        }
    }
}

extension PulsedDeviceArray {
    /// Sets the weights from a row-major array.
    func set(_ values: [Float]) { values.withUnsafeBufferPointer { setWeights($0.baseAddress!) } }
}
