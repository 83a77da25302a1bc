import CrossbarKit
import Foundation
import Testing
import TestSupport

/// Same seeds ⇒ bit-identical weights, whatever the thread count (docs/randomness.md).
@Suite(.serialized) struct DeviceDeterminismTests {
    /// The bytes of hidden and read-visible weights and the pulse counters after `samples`
    /// updates of a 256×256 ReRamSB tile (large enough for the parallel path: active rows ×
    /// active columns ≥ 32 768), σ_d = 1 (dense rows) and 0.01 (short trains) alternating.
    static func run(seed: UInt64, threads: Int) throws -> [UInt32] {
        let saved = ParallelExecutor.threadCount
        ParallelExecutor.threadCount = threads
        defer { ParallelExecutor.threadCount = saved }
        var device = try DevicePresets.device("ReRamSB")
        device.referenceStd = 0.05
        device.subtractSymmetryPoint = true
        let n = 256
        let a = makeArray(device, rows: n, cols: n, seed: seed)
        let engine = makeEngine(a, seed: seed)
        engine.enablePerDeviceCounts()
        var g = Xoshiro256(seed: seed &+ 1000)
        var x = [Float](repeating: 0, count: n), d = [Float](repeating: 0, count: n)
        for s in 0..<12 {
            for j in 0..<n { x[j] = g.nextUniform() }
            let sigma: Float = s % 2 == 0 ? 1 : 0.01
            for i in 0..<n { d[i] = sigma * g.nextGaussian() }
            x.withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: 0.1, parameters: UpdateParameters())
                }
            }
        }
        let bits = (a.hiddenWeights() + a.visibleWeights()).map(\.bitPattern)
        return bits + (engine.perDeviceTotals() ?? []) + [UInt32(truncatingIfNeeded: engine.counters.up),
                                                          UInt32(truncatingIfNeeded: engine.counters.down)]
    }

    @Test func sameSeedSameBytesAnyThreadCount() throws {
        let one = try Self.run(seed: 5, threads: 1)
        #expect(try Self.run(seed: 5, threads: 1) == one, "same seed, same bytes")
        #expect(try Self.run(seed: 5, threads: 2) == one, "2 threads give the bytes of 1")
        #expect(try Self.run(seed: 6, threads: 1) != one, "another seed gives other weights")
    }
}
