import Foundation
import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms

/// The machinery analog layers share (docs/training.md, "Training semantics"–6.2): the tile, weight scaling by ω, the bias
/// (digital parameter or analog tile column) and the stored update errors.
///
/// Works in "tile layout": inputs [rows × tileInSize] (the logical inputs, plus a constant-1
/// column at the end when the bias is analog) and outputs [rows × outSize]. A linear layer's
/// rows are its samples, a convolution's rows are (sample, output position) patches.
final class AnalogTileMapping {
    let tile: AnalogTile
    /// Output lines (rows of W).
    let outSize: Int
    /// Logical inputs per row (the fan-in of the weights).
    let fanIn: Int
    /// Tile columns: fanIn, plus 1 for an analog bias.
    let tileInSize: Int
    /// The bias is the tile's last column (driven by a constant input 1).
    let analogBias: Bool
    /// The digital bias (nil with an analog bias or without bias).
    let bias: DigitalParameter?
    /// ω of weight scaling (0 = off).
    let omega: Float
    /// s: logical weight = s · tile weight (1 without weight scaling).
    private(set) var scale: Float = 1

    private let outputs = ScratchBuffer<Float>()       // [rows × out]
    private let updateErrors = ScratchBuffer<Float>()  // d = g / s, [rows × out]
    private let scaledGrad = ScratchBuffer<Float>()    // g · s for the backward MVM
    private let inputGrad = ScratchBuffer<Float>()     // [rows × tileIn]
    private(set) var storedRows = 0

    /// Creates the tile through `tiles` and initialises W and b uniformly in ±`initBound`
    /// (default 1/√fanIn, torch's default for Linear and Conv layers) from the `initialization`
    /// stream of `path`.
    init(outSize: Int, fanIn: Int, hasBias: Bool, options: AnalogLayerOptions, tiles: TileFactory,
         path: String, seeds: SeedSet, initBound: Float? = nil) throws {
        try options.validate()
        precondition(outSize > 0 && fanIn > 0)
        self.outSize = outSize
        self.fanIn = fanIn
        analogBias = hasBias && !options.digitalBias
        tileInSize = fanIn + (analogBias ? 1 : 0)
        omega = options.weightScalingOmega
        bias = hasBias && options.digitalBias ? DigitalParameter(name: "bias", values: [Float](repeating: 0, count: outSize)) : nil
        tile = try tiles(outSize: outSize, inSize: tileInSize, path: path)

        let bound = initBound ?? 1 / Float(fanIn).squareRoot()
        let key = seeds.key(.initialization, path)
        var gw = key.generator(0, 0)
        var w = Matrix(rows: outSize, cols: fanIn)
        for k in w.storage.indices { w.storage[k] = bound * (2 * gw.nextUniform() - 1) }
        var b: [Float]? = nil
        if hasBias {
            var gb = key.generator(1, 0)
            b = (0..<outSize).map { _ in bound * (2 * gb.nextUniform() - 1) }
        }
        try setLogicalWeights(w, bias: b)
    }

    /// Programs logical weights [out × fanIn] and bias (required iff the layer has a bias):
    /// recomputes s = max|W, b_analog|/ω when ω > 0 and stores W/s on the tile.
    func setLogicalWeights(_ w: Matrix, bias b: [Float]?) throws {
        guard w.rows == outSize, w.cols == fanIn else {
            throw CrossbarError.shapeMismatch(what: "weights of '\(tile.path)'", expected: "\(outSize)×\(fanIn)", got: "\(w.rows)×\(w.cols)")
        }
        let hasBias = analogBias || bias != nil
        if hasBias {
            guard let b, b.count == outSize else {
                throw CrossbarError.shapeMismatch(what: "bias of '\(tile.path)'", expected: "\(outSize) values", got: b.map { "\($0.count) values" } ?? "none")
            }
        } else if b != nil {
            throw CrossbarError.shapeMismatch(what: "bias of '\(tile.path)'", expected: "none (layer without bias)", got: "\(b!.count) values")
        }
        var onTile = Matrix(rows: outSize, cols: tileInSize)
        for i in 0..<outSize {
            for j in 0..<fanIn { onTile.storage[i * tileInSize + j] = w.storage[i * fanIn + j] }
            if analogBias { onTile.storage[i * tileInSize + fanIn] = b![i] }
        }
        try onTile.storage.withUnsafeBufferPointer { try Check.finite($0, "weights of '\(tile.path)'") }
        var s: Float = 1
        if omega > 0 {
            let m = onTile.storage.reduce(Float(0)) { max($0, abs($1)) }
            if m > 0 { s = m / omega }
        }
        if s != 1 { for k in onTile.storage.indices { onTile.storage[k] /= s } }
        if let bias, let b { try bias.setValues(b) }
        try tile.setWeights(onTile)
        scale = s
    }

    /// Logical weights s·W_tile [out × fanIn] and bias (digital values or s × the bias column).
    func logicalWeights() -> (weights: Matrix, bias: [Float]?) {
        let t = tile.weights()
        var w = Matrix(rows: outSize, cols: fanIn)
        for i in 0..<outSize { for j in 0..<fanIn { w.storage[i * fanIn + j] = scale * t.storage[i * tileInSize + j] } }
        if analogBias { return (w, (0..<outSize).map { scale * t.storage[$0 * tileInSize + fanIn] }) }
        return (w, bias?.values)
    }

    /// Restores s from a checkpoint (the tile weights are restored separately).
    func restoreScale(_ s: Float) throws {
        guard s.isFinite, s > 0 else {
            throw CrossbarError.invalidParameter(field: "\(tile.path).weight_scale", value: "\(s)", allowed: "a finite number > 0")
        }
        if omega == 0 && s != 1 {
            throw CrossbarError.invalidParameter(field: "\(tile.path).weight_scale", value: "\(s)", allowed: "1 (weight scaling is off)")
        }
        scale = s
    }

    /// y = s · tile.forward(x) + b for `rows` tile-layout inputs; returns [rows × out].
    func forward(_ x: UnsafePointer<Float>, rows: Int) -> UnsafeMutablePointer<Float> {
        let y = outputs.ensure(rows * outSize)
        tile.forward(input: FloatBuffer(x, count: rows * tileInSize), batch: rows, output: FloatBuffer(y, count: rows * outSize))
        let s = scale
        if s != 1 { for k in 0..<(rows * outSize) { y[k] *= s } }
        if let bias {
            let b = bias.value
            for r in 0..<rows {
                let yr = y + r * outSize
                for i in 0..<outSize { yr[i] += b[i] }
            }
        }
        return y
    }

    /// Stores the update errors d = g/s and the bias gradient Σ_rows g; returns the tile-layout
    /// input gradient tile.backward(s·g) [rows × tileIn] when requested.
    func backward(_ g: UnsafePointer<Float>, rows: Int, computeInputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        storeUpdateErrors(g, rows: rows)
        guard computeInputGradient else { return nil }
        return inputGradient(g, rows: rows)
    }

    /// Stores the update errors d = g/s of `rows` rows [rows × out] (replacing earlier ones) and
    /// the bias gradient Σ_rows g, for the next ``update(x:learningRate:)``.
    func storeUpdateErrors(_ g: UnsafePointer<Float>, rows: Int) {
        let n = rows * outSize
        let s = scale
        let d = updateErrors.ensure(n)
        if s == 1 {
            d.update(from: g, count: n)
        } else {
            let inv = 1 / s
            for k in 0..<n { d[k] = g[k] * inv }
        }
        storedRows = rows
        if let bias {
            let gb = bias.gradient
            for i in 0..<outSize { gb[i] = 0 }
            for r in 0..<rows {
                let gr = g + r * outSize
                for i in 0..<outSize { gb[i] += gr[i] }
            }
        }
    }

    /// The tile-layout input gradient tile.backward(s·g) [rows × tileIn] of output gradients g
    /// [rows × out] (one backward MVM; stores nothing for the update). Valid until the next call.
    func inputGradient(_ g: UnsafePointer<Float>, rows: Int) -> UnsafeMutablePointer<Float> {
        let n = rows * outSize
        let s = scale
        var source = g
        if s != 1 {
            let gs = scaledGrad.ensure(n)
            for k in 0..<n { gs[k] = g[k] * s }
            source = UnsafePointer(gs)
        }
        let dx = inputGrad.ensure(rows * tileInSize)
        tile.backward(input: FloatBuffer(source, count: n), batch: rows, output: FloatBuffer(dx, count: rows * tileInSize))
        return dx
    }

    /// One optimizer step of this layer (docs/training.md, "Training semantics" `optimizer.step()`): the digital SGD step of
    /// the bias, the tile update with the stored errors and `x` (the tile-layout inputs of the
    /// same rows, as the layer received them: unquantised, the DAC only acts inside the MVM),
    /// then the tile's post-update step (device retention: decay, diffusion; docs/devices.md, "Decay, diffusion, reset").
    func update(x: UnsafePointer<Float>, learningRate: Float) {
        guard storedRows > 0 else { return }
        bias?.sgdStep(learningRate: learningRate)
        tile.update(x: FloatBuffer(x, count: storedRows * tileInSize), d: FloatBuffer(updateErrors.pointer, count: storedRows * outSize),
                    batch: storedRows, learningRate: learningRate)
        tile.core.postUpdateStep()
        storedRows = 0 // each backward pass is applied once (aihwkit drops the stored data)
    }
}
