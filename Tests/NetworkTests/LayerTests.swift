import Foundation
import Testing
import CrossbarKit
import TestSupport

/// A tile core that records every update call (the contract between layers and any core).
final class RecordingCore: TileCore {
    let outSize: Int
    let inSize: Int
    let inner: FloatingPointCore
    var calls: [(x: [Float], d: [Float], batch: Int, learningRate: Float)] = []

    init(outSize: Int, inSize: Int) {
        self.outSize = outSize
        self.inSize = inSize
        inner = FloatingPointCore(outSize: outSize, inSize: inSize)
    }

    var readWeights: FloatBuffer { inner.readWeights }
    func update(x: FloatBuffer, d: FloatBuffer, batch: Int, learningRate: Float) {
        calls.append((Array(x.array.prefix(batch * inSize)), Array(d.array.prefix(batch * outSize)), batch, learningRate))
        inner.update(x: x, d: d, batch: batch, learningRate: learningRate)
    }
    func setWeights(_ weights: Matrix) { inner.setWeights(weights) }
    func weights() -> Matrix { inner.weights() }
}

/// A factory that keeps the recording cores it makes, by path.
final class RecordingFactory {
    var cores: [String: RecordingCore] = [:]
    var factory: TileFactory {
        TileFactory { out, inSize, path in
            let core = RecordingCore(outSize: out, inSize: inSize)
            self.cores[path] = core
            return try AnalogTile(core: core, forward: .perfect, backward: .perfect, seeds: SeedSet(master: 1), path: path)
        }
    }
}

@Suite struct LayerTests {
    /// The tile update gets every sample of the mini-batch in one call, with the stored input
    /// (plus the constant-1 column of an analog bias) and d = g/s, at the optimizer's η.
    @Test(arguments: [(true, Float(0)), (false, Float(0)), (true, Float(0.5)), (false, Float(0.8))])
    func tileUpdateReceivesWholeBatchWithScaledErrors(digitalBias: Bool, omega: Float) throws {
        let rec = RecordingFactory()
        let layer = try AnalogLinear(inFeatures: 3, outFeatures: 2, options: AnalogLayerOptions(digitalBias: digitalBias, weightScalingOmega: omega),
                                     tiles: rec.factory, path: "layer0", seeds: SeedSet(master: 2))
        let s = layer.weightScale
        #expect((omega == 0) == (s == 1))
        let x = randomArray(4 * 3, seed: 1), g = randomArray(4 * 2, seed: 2)
        _ = runForward([layer], x, batch: 4)
        _ = runBackward([layer], g, batch: 4)
        layer.update(learningRate: 0.125)
        let core = try #require(rec.cores["layer0"])
        #expect(core.calls.count == 1)
        let call = core.calls[0]
        #expect(call.batch == 4 && call.learningRate == 0.125)
        let cols = digitalBias ? 3 : 4
        for b in 0..<4 {
            for j in 0..<3 { #expect(call.x[b * cols + j] == x[b * 3 + j]) }
            if !digitalBias { #expect(call.x[b * cols + 3] == 1) }
        }
        for k in g.indices { #expect(abs(call.d[k] - g[k] / s) <= 1e-6 * abs(g[k] / s)) }
        // A second update without a new backward pass applies nothing.
        layer.update(learningRate: 0.125)
        #expect(core.calls.count == 1)
    }

    /// Each step's update uses only that step's gradients (nothing accumulates across steps).
    @Test func consecutiveStepsDoNotAccumulateGradients() throws {
        let layer = try AnalogLinear(inFeatures: 3, outFeatures: 2, tiles: fp, path: "layer0", seeds: SeedSet(master: 2))
        let x = randomArray(2 * 3, seed: 1)
        _ = runForward([layer], x, batch: 2)
        _ = runBackward([layer], randomArray(4, seed: 2), batch: 2)
        layer.update(learningRate: 0.5)
        let (w1, b1) = layer.logicalWeights()
        let g2 = randomArray(4, seed: 3)
        _ = runForward([layer], x, batch: 2)
        _ = runBackward([layer], g2, batch: 2)
        layer.update(learningRate: 0.5)
        let (w2, b2) = layer.logicalWeights()
        for i in 0..<2 {
            #expect(abs((b1![i] - b2![i]) - 0.5 * (g2[i] + g2[2 + i])) < 1e-6)
            for j in 0..<3 {
                let dw = 0.5 * (g2[i] * x[j] + g2[2 + i] * x[3 + j])
                #expect(abs((w1[i, j] - w2[i, j]) - dw) < 1e-6)
            }
        }
    }

    /// Weight scaling changes the tile's weights but not the function the layer computes.
    @Test func weightScalingKeepsTheLogicalFunction() throws {
        let seeds = SeedSet(master: 3)
        let plain = try AnalogLinear(inFeatures: 20, outFeatures: 7, tiles: fp, path: "layer0", seeds: seeds)
        let scaled = try AnalogLinear(inFeatures: 20, outFeatures: 7, options: AnalogLayerOptions(weightScalingOmega: 0.6),
                                      tiles: fp, path: "layer0", seeds: seeds)
        let (w, b) = plain.logicalWeights()
        let (ws, bs) = scaled.logicalWeights()
        #expect(maxAbsDifference(w.storage, ws.storage) < 1e-6 && maxAbsDifference(b!, bs!) == 0)
        let maxW = w.storage.map(abs).max()!
        #expect(abs(scaled.weightScale - maxW / 0.6) < 1e-7)
        #expect(abs(scaled.tile.weights().storage.map(abs).max()! - 0.6) < 1e-6)
        let x = randomArray(5 * 20, seed: 9)
        #expect(maxAbsDifference(runForward([plain], x, batch: 5), runForward([scaled], x, batch: 5)) < 1e-5)
        let g = randomArray(5 * 7, seed: 10)
        #expect(maxAbsDifference(runBackward([plain], g, batch: 5), runBackward([scaled], g, batch: 5)) < 1e-5)
    }

    /// Initial weights and biases are U(−1/√in, 1/√in): all inside the bound; over n = 784·256
    /// draws the mean has SE (bound/√3)/√n and the max|w| is within 1e-3·bound of the bound
    /// (P(no draw in the top 1e-3 fraction) = (1 − 1e-3)^n ≈ e^−200).
    @Test func initializationIsUniformInTheFanInBound() throws {
        let layer = try AnalogLinear(inFeatures: 784, outFeatures: 256, tiles: fp, path: "layer0", seeds: SeedSet(master: 4))
        let (w, b) = layer.logicalWeights()
        let bound = 1 / Float(784).squareRoot()
        #expect(w.storage.allSatisfy { abs($0) <= bound } && b!.allSatisfy { abs($0) <= bound })
        let stats = SampleStats(w.storage)
        #expect(abs(stats.mean) < 4 * Double(bound) / 3.0.squareRoot() / Double(w.storage.count).squareRoot())
        // Variance of U(−a, a) is a²/3; SE of the sample std ≈ σ/√(2n).
        let sigma = Double(bound) / 3.0.squareRoot()
        #expect(abs(stats.std - sigma) < 4 * sigma / (2.0 * Double(w.storage.count)).squareRoot())
        #expect(w.storage.map(abs).max()! > bound * 0.999)
        // Same seed and path ⇒ same weights; another path ⇒ other weights.
        let again = try AnalogLinear(inFeatures: 784, outFeatures: 256, tiles: fp, path: "layer0", seeds: SeedSet(master: 4))
        let other = try AnalogLinear(inFeatures: 784, outFeatures: 256, tiles: fp, path: "layer2", seeds: SeedSet(master: 4))
        #expect(again.logicalWeights().weights == w)
        #expect(other.logicalWeights().weights != w)
    }

    /// The first analog layer never runs its backward MVM (its input gradient is unused).
    @Test func sequentialSkipsTheFirstLayersInputGradient() throws {
        let model = try Models.build(.fc, input: TensorShape(channels: 1, height: 4, width: 4), classes: 3, tiles: fp, seeds: SeedSet(master: 1))
        let tiles = model.analogTiles
        #expect(tiles.map(\.path) == ["layer0", "layer2", "layer4"])
        let x = randomArray(2 * 16, seed: 3)
        let logits = x.withUnsafeBufferPointer { model.forward(FloatBuffer($0.baseAddress!, count: $0.count), batch: 2, training: true) }
        let (_, g) = lossAndGradient(Array(logits.array.prefix(6)), labels: [0, 2], classes: 3)
        g.withUnsafeBufferPointer { model.backward(FloatBuffer($0.baseAddress!, count: $0.count), batch: 2) }
        #expect(tiles.map(\.backwardMVM.callCount) == [0, 1, 1])
        #expect(tiles.map(\.forwardMVM.callCount) == [1, 1, 1])
    }

    @Test func modelsHaveTheDocumentedArchitectures() throws {
        let fc = try Models.build(.fc, input: TensorShape(channels: 1, height: 28, width: 28), classes: 10, tiles: fp, seeds: SeedSet(master: 1))
        #expect(fc.analogTiles.map { [$0.outSize, $0.inSize] } == [[256, 784], [128, 256], [10, 128]])
        #expect(fc.layers.map { "\($0)" } == ["AnalogLinear(784→256)", "Sigmoid", "AnalogLinear(256→128)", "Sigmoid", "AnalogLinear(128→10)"])
        #expect(fc.digitalParameters.map(\.name) == ["layer0.bias", "layer2.bias", "layer4.bias"])

        let lenet = try Models.build(.lenet5, input: TensorShape(channels: 1, height: 28, width: 28), classes: 10, tiles: fp, seeds: SeedSet(master: 1))
        #expect(lenet.analogTiles.map { [$0.outSize, $0.inSize] } == [[16, 25], [32, 400], [128, 512], [10, 128]])
        #expect(lenet.layers.map(\.outputShape.description) == ["16×24×24", "16×24×24", "16×12×12", "32×8×8", "32×8×8", "32×4×4", "32×4×4", "512", "128", "128", "10"])
        let analogBias = try Models.build(.lenet5, input: TensorShape(channels: 1, height: 28, width: 28), classes: 10, tiles: fp,
                                          seeds: SeedSet(master: 1), options: AnalogLayerOptions(digitalBias: false))
        #expect(analogBias.analogTiles.map(\.inSize) == [26, 401, 513, 129] && analogBias.digitalParameters.isEmpty)
    }

    @Test func errorsAreClear() throws {
        #expect(errorMessage { _ = try ModelName(parsing: "lenet") } == "unknown model 'lenet'; did you mean 'lenet5'? (known: fc, lenet5, lstm)")
        #expect(try ModelName(parsing: "FC") == .fc)
        let conv = try AnalogConv2d(inputShape: TensorShape(channels: 1, height: 8, width: 8), outChannels: 2, kernelSize: 3, tiles: fp, path: "layer0", seeds: SeedSet(master: 1))
        let lin = try AnalogLinear(inFeatures: 72, outFeatures: 2, tiles: fp, path: "layer1", seeds: SeedSet(master: 1))
        #expect(errorMessage { _ = try Sequential([conv, lin]) }.contains("insert a Flatten layer"))
        #expect(throws: Never.self) { try Sequential([conv, Flatten(inputShape: conv.outputShape), lin]) }
        #expect(errorMessage { try lin.setLogicalWeights(Matrix(rows: 2, cols: 71), bias: [0, 0]) }.contains("expected 2×72, got 2×71"))
        #expect(errorMessage { try lin.setLogicalWeights(Matrix(rows: 2, cols: 72), bias: nil) }.contains("bias of 'layer1'"))
        #expect(errorMessage { _ = try AnalogLinear(inFeatures: 3, outFeatures: 2, options: AnalogLayerOptions(weightScalingOmega: -1), tiles: fp, path: "l", seeds: SeedSet(master: 1)) }
            .contains("'weight_scaling_omega': -1.0"))
        #expect(errorMessage { _ = try AnalogLayerOptions.fromJSON(#"{"digital_bias": true, "weight_scaling_omgea": 0.6}"#) }
            .contains("did you mean 'weight_scaling_omega'"))
        #expect(errorMessage { _ = try Models.build(.lenet5, input: TensorShape(channels: 1, height: 12, width: 12), classes: 10, tiles: fp, seeds: SeedSet(master: 1)) }
            .contains("at least 16×16"))
    }

    @Test func digitalStateRoundTrips() throws {
        let m1 = try Models.build(.fc, input: TensorShape(features: 6), classes: 3, tiles: fp, seeds: SeedSet(master: 1))
        let m2 = try Models.build(.fc, input: TensorShape(features: 6), classes: 3, tiles: fp, seeds: SeedSet(master: 2))
        #expect(m1.digitalState() != m2.digitalState())
        try m2.restoreDigitalState(m1.digitalState())
        #expect(m1.digitalState() == m2.digitalState())
        var bad = m1.digitalState()
        bad["layer9.bias"] = [1]
        #expect(errorMessage { try m2.restoreDigitalState(bad) }.contains("unknown key 'layer9.bias'"))
        var short = m1.digitalState()
        short["layer0.bias"] = [1, 2]
        #expect(errorMessage { try m2.restoreDigitalState(short) }.contains("layer0.bias"))
    }
}

@Suite struct ScheduleAndOrderTests {
    @Test func stepAndMultiStepSchedules() throws {
        let step = LearningRateSchedule.step(0.1, every: 2, gamma: 0.5)
        #expect((0..<5).map { step.rate(epoch: $0) } == [0.1, 0.1, 0.05, 0.05, 0.025])
        let multi = LearningRateSchedule.multiStep(0.05, milestones: [50, 80], gamma: 0.1)
        #expect(multi.rate(epoch: 49) == 0.05)
        #expect(abs(multi.rate(epoch: 50) - 0.005) < 1e-9 && abs(multi.rate(epoch: 99) - 0.0005) < 1e-10)
        #expect(LearningRateSchedule.constant(0.3).rate(epoch: 1000) == 0.3)
        let json = #"{"learning_rate": 0.05, "schedule": "multi_step", "milestones": [50, 80], "gamma": 0.1}"#
        #expect(try LearningRateSchedule.fromJSON(json) == multi)
        #expect(try LearningRateSchedule.fromJSON(multi.toJSON()) == multi)
        #expect(errorMessage { _ = try LearningRateSchedule.fromJSON(#"{"milestones": [5, 3]}"#) }.contains("'milestones'"))
        #expect(errorMessage { _ = try LearningRateSchedule.fromJSON(#"{"gamma": 1.5}"#) }.contains("'gamma': 1.5"))
        #expect(errorMessage { _ = try TrainingOptions.fromJSON(#"{"schedule": {"learning_rate": -1}}"#) }.contains("'schedule.learning_rate'"))
    }

    @Test func epochOrderIsAReproduciblePermutationPerEpoch() {
        let seeds = SeedSet(master: 9)
        let o0 = Trainer.epochOrder(count: 1000, epoch: 0, seeds: seeds)
        #expect(o0.sorted() == (0..<1000).map { Int32($0) })
        #expect(o0 == Trainer.epochOrder(count: 1000, epoch: 0, seeds: seeds))
        #expect(o0 != Trainer.epochOrder(count: 1000, epoch: 1, seeds: seeds))
        #expect(o0 != Trainer.epochOrder(count: 1000, epoch: 0, seeds: SeedSet(master: 10)))
    }

    /// Uniformity: over E = 5000 epochs the first position holds each of 5 elements with
    /// probability 1/5: counts have mean 1000 and SD √(E·p(1−p)) ≈ 28.3; we allow 4 SD.
    /// Also pairs (first, second) must cover all 20 ordered pairs.
    @Test func shuffleIsUniform() {
        let seeds = SeedSet(master: 11)
        var first = [Int](repeating: 0, count: 5)
        var pairs = Set<[Int32]>()
        for e in 0..<5000 {
            let o = Trainer.epochOrder(count: 5, epoch: e, seeds: seeds)
            first[Int(o[0])] += 1
            pairs.insert(Array(o[0..<2]))
        }
        let sd = (5000.0 * 0.2 * 0.8).squareRoot()
        for c in first { #expect(abs(Double(c) - 1000) < 4 * sd) }
        #expect(pairs.count == 20)
    }
}

/// The message of the error `body` throws (empty when it does not throw).
func errorMessage(_ body: () throws -> Void) -> String {
    do { try body() } catch { return "\(error)" }
    return ""
}
