import Foundation
import Testing
import TestSupport
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// A core that records what the layers hand to the tile update (docs/training.md, "Training semantics") and counts
/// post-update steps. Its weights are a plain matrix.
final class RecordingCore: TileCore {
    let outSize: Int, inSize: Int
    let storage: UnsafeMutablePointer<Float>
    var updates: [(x: [Float], d: [Float], batch: Int, learningRate: Float)] = []
    var postUpdateSteps = 0

    init(outSize: Int, inSize: Int) {
        self.outSize = outSize
        self.inSize = inSize
        storage = .allocate(capacity: outSize * inSize)
        storage.initialize(repeating: 0, count: outSize * inSize)
    }

    deinit { storage.deallocate() }

    var readWeights: FloatBuffer { FloatBuffer(storage, count: outSize * inSize) }
    func update(x: FloatBuffer, d: FloatBuffer, batch: Int, learningRate: Float) {
        updates.append((Array(x.array.prefix(batch * inSize)), Array(d.array.prefix(batch * outSize)), batch, learningRate))
    }
    func setWeights(_ weights: Matrix) { storage.update(from: weights.storage, count: outSize * inSize) }
    func weights() -> Matrix { Matrix(rows: outSize, cols: inSize, storage: Array(UnsafeBufferPointer(start: storage, count: outSize * inSize))) }
    func postUpdateStep() { postUpdateSteps += 1 }
}

@Suite struct LayerWiringTests {
    /// A coarse forward/backward periphery: a 2-bit-like DAC (steps of 0.5), so quantisation is
    /// visible if it leaked into the update data.
    static var coarseIO: IOParameters {
        var io = IOParameters()
        io.inpRes = 0.25
        io.outNoise = 0
        return io
    }

    static func recordingFactory(_ cores: Box<[RecordingCore]>, seeds: SeedSet) -> TileFactory {
        TileFactory { out, inSize, path in
            let core = RecordingCore(outSize: out, inSize: inSize)
            cores.value.append(core)
            return try AnalogTile(core: core, forward: coarseIO, backward: coarseIO, seeds: seeds, path: path)
        }
    }

    final class Box<T> { var value: T; init(_ v: T) { value = v } }

    /// docs/training.md, "Training semantics": the update receives the unquantised digital x and d = g/s (the DAC only acts
    /// inside the MVM), once per optimizer step with all rows of the mini-batch, followed by one
    /// post-update step.
    @Test func linearUpdateSeesUnquantisedInputsAndErrors() throws {
        let seeds = SeedSet(master: 4)
        let cores = Box<[RecordingCore]>([])
        let layer = try AnalogLinear(inFeatures: 6, outFeatures: 3, options: AnalogLayerOptions(digitalBias: true, weightScalingOmega: 0.5),
                                     tiles: Self.recordingFactory(cores, seeds: seeds), path: "layer0", seeds: seeds)
        let s = layer.weightScale
        #expect(s != 1)
        let batch = 4
        let x = randomMatrix(rows: batch, cols: 6, seed: 1, lo: -0.9, hi: 0.9).storage
        let g = randomMatrix(rows: batch, cols: 3, seed: 2, lo: -1, hi: 1).storage
        x.withUnsafeBufferPointer { xp in _ = layer.forward(FloatBuffer(xp.baseAddress!, count: xp.count), batch: batch, training: true) }
        g.withUnsafeBufferPointer { gp in _ = layer.backward(FloatBuffer(gp.baseAddress!, count: gp.count), batch: batch, computeInputGradient: true) }
        layer.update(learningRate: 0.05)
        let core = cores.value[0]
        #expect(core.updates.count == 1 && core.postUpdateSteps == 1)
        let u = core.updates[0]
        #expect(u.batch == batch && u.learningRate == 0.05)
        #expect(u.x == x, "x reaches the update exactly as the layer received it")
        for k in g.indices { #expect(isClose(u.d[k], g[k] / s, rtol: 1e-6, atol: 0), "d = g/s at \(k)") }
        // The forward pass did quantise: a DAC step of 0.5 rounds these inputs, so x differs
        // from what the MVM saw (otherwise this test could not tell the two apart).
        let step = Self.coarseIO.inputStep
        #expect(x.contains { ($0 / step).rounded() * step != $0 })
        // One step applies a backward pass once.
        layer.update(learningRate: 0.05)
        #expect(core.updates.count == 1)
    }

    /// The same for a convolution: the update rows are the unquantised input patches, batch ×
    /// output positions of them.
    @Test func convolutionUpdateSeesUnquantisedPatches() throws {
        let seeds = SeedSet(master: 4)
        let cores = Box<[RecordingCore]>([])
        let conv = try AnalogConv2d(inputShape: TensorShape(channels: 1, height: 5, width: 5), outChannels: 2, kernelSize: 3,
                                    tiles: Self.recordingFactory(cores, seeds: seeds), path: "layer0", seeds: seeds)
        let batch = 2
        let x = randomMatrix(rows: batch, cols: 25, seed: 3, lo: 0, hi: 1).storage
        x.withUnsafeBufferPointer { xp in _ = conv.forward(FloatBuffer(xp.baseAddress!, count: xp.count), batch: batch, training: true) }
        let g = randomMatrix(rows: batch, cols: 2 * 9, seed: 4).storage
        g.withUnsafeBufferPointer { gp in _ = conv.backward(FloatBuffer(gp.baseAddress!, count: gp.count), batch: batch, computeInputGradient: false) }
        conv.update(learningRate: 0.1)
        let u = cores.value[0].updates[0]
        #expect(u.batch == batch * 9)
        // Row (b, position (py, px)) is the 3×3 patch at (py, px) of sample b.
        for b in 0..<batch { for py in 0..<3 { for px in 0..<3 {
            let row = (b * 9 + py * 3 + px) * 9
            for ky in 0..<3 { for kx in 0..<3 {
                #expect(u.x[row + ky * 3 + kx] == x[b * 25 + (py + ky) * 5 + px + kx])
            } }
        } } }
        #expect(cores.value[0].postUpdateSteps == 1)
    }

    /// docs/training.md, "Training semantics" step 3: post_update_step after every optimizer step. A device with lifetime
    /// τ = 10 (no spread) decays by δ = 1 − 1/τ = 0.9 per mini-batch towards its reset value 0;
    /// with a learning rate so small that no pulse fires, each weight is exactly δ^steps times its
    /// start (clipping cannot act: |w| ≤ 1/√16 is far inside ±1).
    @Test func retentionActsAfterEveryOptimizerStep() throws {
        let config = try configuration(json: """
            {"forward": {"is_perfect": true}, "backward": {"is_perfect": true},
             "device": {"type": "constant_step", "dw_min": 0.001, "dw_min_dtod": 0, "dw_min_std": 0, "up_down_dtod": 0,
                        "w_max_dtod": 0, "w_min_dtod": 0, "lifetime": 10}}
            """)
        let train = try clusterTask.train.prefix(30)
        let s = try clusterSession(config, seed: 1, epochs: 1, lr: 1e-9, data: (train, clusterTask.test))
        let before = s.network.analogTiles.map { $0.weights().storage }
        _ = try s.trainEpoch()
        #expect(s.history[0].pulsesPerSample.values.allSatisfy { $0["W"] == 0 })
        for (tile, w0) in zip(s.network.analogTiles, before) {
            let w = tile.weights().storage
            var expected = w0
            for _ in 0..<3 { expected = expected.map { $0 * 0.9 } }
            for k in w.indices { #expect(isClose(w[k], expected[k], rtol: 1e-5, atol: 1e-9)) }
        }
    }

    /// The configuration reaches every layer of the named models: the tile cores are those of
    /// the configured algorithm, and the mapping (digital or analog bias, weight scaling) is
    /// applied to each analog layer.
    @Test func configurationAndMappingReachEveryLayer() throws {
        let seeds = SeedSet(master: 2)
        let input = TensorShape(channels: 1, height: 28, width: 28)
        let agad = try ConfigurationPresets.configuration("AGADReRamSB")
        for model in [ModelName.fc, .lenet5] {
            let net = try Models.build(model, input: input, classes: 10, configuration: agad, seeds: seeds)
            #expect(net.analogLayers.count == (model == .fc ? 3 : 4))
            for (_, layer) in net.analogLayers {
                #expect(layer.tile.core is DynamicTransferCore)
                #expect(layer.weightScale == 1 && layer.digitalParameters.count == 1)
            }
        }
        // Analog bias and weight scaling ω = 0.6: s = max|W, b|/ω, and the tile holds (W, b)/s.
        for config in [agad, TileConfiguration.floatingPoint] {
            var c = config
            c.mapping = AnalogLayerOptions(digitalBias: false, weightScalingOmega: 0.6)
            let net = try Models.build(.fc, input: input, classes: 10, configuration: c, seeds: seeds)
            for (_, layer) in net.analogLayers {
                let l = try #require(layer as? AnalogLinear)
                #expect(l.tile.inSize == l.inFeatures + 1, "analog bias column")
                #expect(l.digitalParameters.isEmpty)
                let (w, b) = l.logicalWeights()
                let m = (w.storage + b!).map(abs).max()!
                #expect(l.weightScale < 0.5, "initial |W| ≤ 1/√in is far below ω, so s < 1: \(l.weightScale)")
                if c.isFloatingPoint {
                    // No device bounds: exact.
                    #expect(isClose(l.weightScale, m / 0.6, rtol: 1e-5, atol: 0), "s = \(l.weightScale), max = \(m)")
                    #expect(isClose(l.tile.weights().storage.map(abs).max()!, 0.6, rtol: 1e-5, atol: 0))
                }
            }
        }
        let fp = try Models.build(.fc, input: input, classes: 10, configuration: .floatingPoint, seeds: seeds)
        #expect(fp.analogTiles.allSatisfy { $0.core is FloatingPointCore })
        // An invalid configuration is refused before anything is built.
        var bad = TileConfiguration.floatingPoint
        bad.mapping.weightScalingOmega = -1
        #expect(errorMessage { _ = try Models.build(.fc, input: input, classes: 10, configuration: bad, seeds: seeds) }
            .contains("weight_scaling_omega"))
    }
}
