import CrossbarDevices
import CrossbarFoundation

/// An analog crossbar tile: a weight array W [out × in] with its periphery.
///
/// `forward` computes Y = W·x per sample and `backward` Z = Wᵀ·d per sample, each through its
/// own ``IOParameters`` (docs/io.md; backward never uses bound management). `update` changes W
/// with the tile's update rule (the ``TileCore``).
///
/// Matrices are row-major: inputs [batch × in], outputs [batch × out].
public final class AnalogTile: @unchecked Sendable {
    public let outSize: Int
    public let inSize: Int
    public let core: TileCore
    public let forwardMVM: AnalogMVM
    public let backwardMVM: AnalogMVM
    /// The component path used to derive this tile's random streams (e.g. `"layer0"`).
    public let path: String

    /// A tile around `core` with the given forward and backward IO parameters.
    public init(core: TileCore, forward: IOParameters, backward: IOParameters,
                seeds: SeedSet, path: String) throws {
        do { try forward.validate() } catch let e as CrossbarError { throw e.prefixed(by: "forward") }
        do { try backward.validate() } catch let e as CrossbarError { throw e.prefixed(by: "backward") }
        self.core = core
        outSize = core.outSize
        inSize = core.inSize
        self.path = path
        var construction = seeds.key(.construction, path).child("periphery").generator
        forwardMVM = AnalogMVM(io: forward, direction: .forward, inputSize: core.inSize, outputSize: core.outSize,
                               key: seeds.key(.mvmNoise, path).child("forward"), construction: &construction)
        backwardMVM = AnalogMVM(io: backward, direction: .backward, inputSize: core.outSize, outputSize: core.inSize,
                                key: seeds.key(.mvmNoise, path).child("backward"), construction: &construction)
    }

    /// A floating-point tile holding `weights` (the issue-2 tile; devices come with cores).
    public convenience init(weights: Matrix, forward: IOParameters = IOParameters(),
                            backward: IOParameters = IOParameters(), seeds: SeedSet, path: String = "tile") throws {
        guard weights.rows > 0, weights.cols > 0 else {
            throw CrossbarError.shapeMismatch(what: "tile weights", expected: "at least 1×1", got: "\(weights.rows)×\(weights.cols)")
        }
        try Self.checkFinite(weights.storage, "tile weights")
        let core = FloatingPointCore(outSize: weights.rows, inSize: weights.cols)
        core.setWeights(weights)
        try self.init(core: core, forward: forward, backward: backward, seeds: seeds, path: path)
    }

    // MARK: Checked, allocating API

    /// Y [batch × out] = W·x for every row x of `input` [batch × in], through the forward IO.
    public func forward(_ input: Matrix) throws -> Matrix {
        try checkInput(input, expectedCols: inSize, what: "forward input")
        var y = Matrix(rows: input.rows, cols: outSize)
        input.withBuffer { x in y.withMutableBuffer { forward(input: x, batch: input.rows, output: $0) } }
        return y
    }

    /// Z [batch × in] = Wᵀ·d for every row d of `input` [batch × out], through the backward IO.
    public func backward(_ input: Matrix) throws -> Matrix {
        try checkInput(input, expectedCols: outSize, what: "backward input")
        var z = Matrix(rows: input.rows, cols: inSize)
        input.withBuffer { d in z.withMutableBuffer { backward(input: d, batch: input.rows, output: $0) } }
        return z
    }

    /// Applies the update for the mini-batch (x [batch × in], d [batch × out]) with learning
    /// rate η ≥ 0; the tile's core decides how (exact GEMM, pulses, a training algorithm).
    public func update(x: Matrix, d: Matrix, learningRate: Float) throws {
        try checkInput(x, expectedCols: inSize, what: "update input x")
        try checkInput(d, expectedCols: outSize, what: "update error d")
        guard x.rows == d.rows else {
            throw CrossbarError.shapeMismatch(what: "update batch", expected: "\(x.rows) rows of d", got: "\(d.rows)")
        }
        guard learningRate.isFinite, learningRate >= 0 else {
            throw CrossbarError.invalidParameter(field: "learning_rate", value: "\(learningRate)", allowed: "a finite number ≥ 0")
        }
        x.withBuffer { xb in d.withBuffer { update(x: xb, d: $0, batch: x.rows, learningRate: learningRate) } }
    }

    /// The pulsed device arrays under this tile (``TileCore/deviceArrays``).
    public var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] { core.deviceArrays }

    /// The visible weights (exact copy).
    public func weights() -> Matrix { core.weights() }

    /// Programs the weights exactly (clipped to device bounds where the core has devices).
    public func setWeights(_ w: Matrix) throws {
        guard w.rows == outSize, w.cols == inSize else {
            throw CrossbarError.shapeMismatch(what: "weights", expected: "\(outSize)×\(inSize)", got: "\(w.rows)×\(w.cols)")
        }
        try Self.checkFinite(w.storage, "weights")
        core.setWeights(w)
    }

    // MARK: Unchecked, non-allocating API (hot paths; callers guarantee shapes and finiteness,
    // sizes are checked in debug builds)

    /// Y = W·x per sample: `input` [batch × in] → `output` [batch × out].
    public func forward(input: FloatBuffer, batch: Int, output: FloatBuffer) {
        assert(input.count >= batch * inSize && output.count >= batch * outSize, "forward: buffers smaller than the batch")
        forwardMVM.apply(weights: core.readWeights.pointer, input: input.pointer, batch: batch, output: output.base)
    }

    /// Z = Wᵀ·d per sample: `input` [batch × out] → `output` [batch × in].
    public func backward(input: FloatBuffer, batch: Int, output: FloatBuffer) {
        assert(input.count >= batch * outSize && output.count >= batch * inSize, "backward: buffers smaller than the batch")
        backwardMVM.apply(weights: core.readWeights.pointer, input: input.pointer, batch: batch, output: output.base)
    }

    /// The core's update for x [batch × in] and d [batch × out] with learning rate η ≥ 0.
    public func update(x: FloatBuffer, d: FloatBuffer, batch: Int, learningRate: Float) {
        assert(x.count >= batch * inSize && d.count >= batch * outSize, "update: buffers smaller than the batch")
        core.update(x: x, d: d, batch: batch, learningRate: learningRate)
    }

    // MARK: Validation

    private func checkInput(_ m: Matrix, expectedCols: Int, what: String) throws {
        guard m.cols == expectedCols else {
            throw CrossbarError.shapeMismatch(what: what, expected: "\(expectedCols) columns", got: "\(m.rows)×\(m.cols)")
        }
        try Self.checkFinite(m.storage, what)
    }

    static func checkFinite(_ values: [Float], _ what: String) throws {
        try values.withUnsafeBufferPointer { try Check.finite($0, what) }
    }
}
