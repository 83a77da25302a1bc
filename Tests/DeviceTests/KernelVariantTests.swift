import CrossbarKit
import Foundation
import Testing
import TestSupport
@testable import CrossbarDevices
@testable import CrossbarFoundation

/// The two variants of the pulse kernels (x86-64 baseline and AVX2/FMA/BMI2/POPCNT) give
/// bit-identical results: the same updates on identically built arrays, once with each variant
/// forced, leave every device weight equal to the bit and draw the same noise. The updates cover
/// every path of the kernels — dense rows (one slot and several, uniform and mixed column signs,
/// one to many pulses per device: exact second and third pulses, the closed form, the
/// pulse-by-pulse fallback near the bounds), slot lists, column-by-column rows, multi-word bit
/// lines (BL > 64) — on devices with and without references, slopes, multiplicative noise and
/// write noise. On a CPU without AVX2 only the portable variant exists and the test checks that.
@Suite(.serialized) struct KernelVariantTests {
    /// Device settings, each exercising other specialisations of the kernels.
    static let devices: [(String, DeviceConfig)] = {
        var softBounds = DevicePresets.make("ReRamSB")            // references, slopes, additive noise, write noise
        softBounds.subtractSymmetryPoint = true
        var mult = DevicePresets.make("EcRam")                    // multiplicative noise on sloped steps
        mult.writeNoiseStd = 0.5
        var constant = DeviceConfig(model: .constantStep)         // no slopes
        constant.dwMin = 0.01
        var coarse = DeviceConfig(model: .softBounds)             // few states: clipping, fallback
        coarse.dwMin = 0.1
        coarse.dwMinStd = 0.5
        var quiet = DeviceConfig.quiet(.linearStep)               // σ = 0
        quiet.dwMin = 0.01
        return [("soft bounds reference", softBounds), ("multiplicative", mult), ("constant step", constant),
                ("coarse soft bounds", coarse), ("noise free", quiet)]
    }()

    /// Runs the same 60 updates (BL 1 to 100, dense and sparse inputs, both signs of η) and
    /// returns the array's hidden weights, the pulse counts and one more noise draw.
    static func run(_ config: DeviceConfig, variant: KernelVariant) -> (weights: [UInt32], visible: [UInt32], up: UInt64, down: UInt64, noise: UInt32) {
        let used = KernelVariant.force(variant)
        defer { KernelVariant.force(nil) }
        #expect(used == variant)
        let rows = 37, cols = 70
        let array = makeArray(config, rows: rows, cols: cols, seed: 5)
        let engine = makeEngine(array, seed: 6)
        var g = Xoshiro256(seed: 7)
        for t in 0..<60 {
            var p = UpdateParameters()
            p.desiredBL = [1, 2, 5, 31, 64, 100][t % 6]
            let sparse = t % 4 == 3
            let x = (0..<cols).map { j -> Float in sparse && j % 5 != 0 ? 0 : (t % 5 == 0 ? 1 : g.nextGaussian()) }
            let d = (0..<rows).map { _ in g.nextGaussian() * (t % 3 == 0 ? 3 : 0.5) }
            let eta: Float = (t % 7 == 6 ? -1 : 1) * [0.01, 0.1, 1, 5][t % 4]
            x.withUnsafeBufferPointer { xp in
                d.withUnsafeBufferPointer { dp in
                    engine.update(x: .dense(xp.baseAddress!), d: .dense(dp.baseAddress!), learningRate: eta, parameters: p)
                }
            }
        }
        let weights = array.hiddenWeights().map(\.bitPattern)
        // The read-visible weights draw the pending write noise (a C kernel of its own).
        let visible = array.visibleWeights().map(\.bitPattern)
        let noise = TestNoise(seed: 9)
        for _ in 0..<100 { _ = noise.source.gaussian() }
        return (weights, visible, engine.counters.up, engine.counters.down, noise.source.gaussian().bitPattern)
    }

    @Test func bothVariantsGiveIdenticalResults() {
        #expect(KernelVariant.available.contains(.portable))
        if !KernelVariant.avx2Supported {
            #expect(KernelVariant.current == .portable)
            return
        }
        for (name, config) in Self.devices {
            let a = Self.run(config, variant: .avx2)
            let b = Self.run(config, variant: .portable)
            #expect(a.up + a.down > 1000, "\(name): the updates applied too few pulses to test anything")
            #expect(a.up == b.up && a.down == b.down, "\(name): pulse counts differ")
            let differing = zip(a.weights, b.weights).filter { $0 != $1 }.count
            #expect(differing == 0, "\(name): \(differing) of \(a.weights.count) weights differ between the variants")
            #expect(a.visible == b.visible, "\(name): the read-visible weights (write noise) differ between the variants")
            #expect(a.visible != a.weights || config.writeNoiseStd == 0, "\(name): no write noise was drawn")
            #expect(a.noise == b.noise, "\(name): the noise streams differ")
        }
    }

    @Test func theAutomaticChoiceIsTheBestSupported() {
        KernelVariant.force(nil)
        let environment = ProcessInfo.processInfo.environment["CROSSBAR_KERNELS"]
        if environment == "portable" {
            #expect(KernelVariant.current == .portable)
        } else {
            #expect(KernelVariant.current == (KernelVariant.avx2Supported ? .avx2 : .portable))
        }
    }
}
