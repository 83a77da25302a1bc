import Foundation
import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms

/// One LSTM layer whose four gate weight matrices are ONE analog tile over the concatenated
/// input [x_t, h_{t−1}] (the "combined weight" LSTM cell of the reference simulator), run over a
/// whole sequence of time steps.
///
/// Per time step t (batch rows b), with W the logical weights [4H × (I + H)] (s · W_tile) and a
/// bias b (digital, or the tile's last column, as the mapping options say):
///
///     z_t = W [x_t, h_{t−1}] + b                 (one noisy analog forward MVM per step)
///     (z_i, z_f, z_g, z_o) = the four H-row blocks of z_t, in this gate order
///     i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
///     c_t = f ⊙ c_{t−1} + i ⊙ g,    h_t = o ⊙ tanh(c_t),    h_{−1} = c_{−1} = 0
///
/// Backpropagation through time runs t = T−1 … 0; the gradient of [x_t, h_{t−1}] comes from
/// one backward MVM through the tile per step (skipped at t = 0 when the caller needs no
/// input gradient: h_{−1} is a constant).
///
/// **Update order.** The reference stores the tile input and the output gradient of a step
/// each time autograd runs that step's backward, i.e. in backpropagation order t = T−1 … 0, and
/// its optimizer step concatenates them into one update of T × B rows. ``update(learningRate:)``
/// does the same: one tile update whose rows are step T−1 (batch rows 0 … B−1), then step T−2,
/// …, then step 0. Each (input, error) row pair belongs to the same step. Pulsed devices apply
/// the rows as sequential rank-1 updates in that order; the floating-point tile sums them.
///
/// The gradients the layer receives are ∂L/∂h_t with L the loss the caller differentiates (the
/// mean cross-entropy per character for ``LSTMCharacterModel``). Backward refers to the most
/// recent forward, which must be the training forward of the same batch (an inference forward
/// in between overwrites the stored gates and cells). Buffers are reused: after the first
/// sequence of the largest size a step allocates nothing.
public final class AnalogLSTM {
    /// Features of x_t (≥ 1).
    public let inputSize: Int
    /// H: features of h_t and c_t (≥ 1).
    public let hiddenSize: Int
    let mapping: AnalogTileMapping

    /// Training tile inputs [T × B × tileIn]; block k holds step T−1−k (the update order).
    private let tileInputs = ScratchBuffer<Float>()
    /// Pre-activation gradients ∂L/∂z [T × B × 4H], same block order as `tileInputs`.
    private let gateErrors = ScratchBuffer<Float>()
    /// Activated gates (i, f, g, o) [T × B × 4H], time order.
    private let gateValues = ScratchBuffer<Float>()
    /// c_t [T × B × H], time order.
    private let cells = ScratchBuffer<Float>()
    /// tanh(c_t) [T × B × H], time order.
    private let cellTanh = ScratchBuffer<Float>()
    /// h_t [T × B × H], time order (the layer's output).
    private let outputs = ScratchBuffer<Float>()
    /// Tile input of one step during inference [B × tileIn].
    private let evalInputs = ScratchBuffer<Float>()
    /// ∂L/∂x_t [T × B × I].
    private let inputGrad = ScratchBuffer<Float>()
    /// ∂L/∂h_{t} and ∂L/∂c_{t} carried backwards through time [B × H] each.
    private let hiddenGrad = ScratchBuffer<Float>()
    private let cellGrad = ScratchBuffer<Float>()
    private var trainedSteps = 0
    private var trainedBatch = 0

    /// - Parameters:
    ///   - inputSize: I, features per step of the input sequence.
    ///   - hiddenSize: H.
    ///   - options: mapping of the weights onto the tile (digital or analog bias, weight scaling).
    ///   - tiles: creates the [4H × (I + H (+1 for an analog bias))] tile.
    ///   - path: names the tile (its random streams derive from it).
    ///   - seeds: the `initialization` stream of `path` draws W and b uniformly in ±1/√H (the
    ///     reference's recurrent-layer initialisation).
    public init(inputSize: Int, hiddenSize: Int, options: AnalogLayerOptions = AnalogLayerOptions(), tiles: TileFactory,
                path: String, seeds: SeedSet) throws {
        try Check.atLeast(inputSize, 1, "\(path).input_size")
        try Check.atLeast(hiddenSize, 1, "\(path).hidden_size")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        mapping = try AnalogTileMapping(outSize: 4 * hiddenSize, fanIn: inputSize + hiddenSize, hasBias: true, options: options,
                                        tiles: tiles, path: path, seeds: seeds, initBound: 1 / Float(hiddenSize).squareRoot())
    }

    public var tile: AnalogTile { mapping.tile }
    public var weightScale: Float { mapping.scale }
    /// The digital bias (empty with an analog bias).
    public var digitalParameters: [DigitalParameter] { mapping.bias.map { [$0] } ?? [] }

    /// Logical weights [4H × (I + H)] (gate blocks i, f, g, o; columns x then h) and the bias.
    public func logicalWeights() -> (weights: Matrix, bias: [Float]?) { mapping.logicalWeights() }
    /// Programs logical weights and bias (see ``logicalWeights()`` for the layout).
    public func setLogicalWeights(_ weights: Matrix, bias: [Float]?) throws { try mapping.setLogicalWeights(weights, bias: bias) }
    /// Restores s of weight scaling from a checkpoint (the tile is restored separately).
    public func restoreWeightScale(_ scale: Float) throws { try mapping.restoreScale(scale) }

    /// Runs the sequence `input` [T × B × I] (time-major) from zero state and returns h_t for
    /// every step, [T × B × H] time-major, valid until the next forward. With `training` the
    /// layer keeps what ``backward(_:computeInputGradient:)`` and ``update(learningRate:)`` need.
    package func forward(_ input: UnsafePointer<Float>, steps: Int, batch: Int, training: Bool) -> UnsafeMutablePointer<Float> {
        precondition(steps >= 1 && batch >= 1)
        let n = inputSize, h = hiddenSize, t4 = 4 * h, tin = mapping.tileInSize
        let stepValues = batch * h
        let gatesAll = gateValues.ensure(steps * batch * t4)
        let c = cells.ensure(steps * stepValues)
        let tc = cellTanh.ensure(steps * stepValues)
        let y = outputs.ensure(steps * stepValues)
        if training { tileInputs.ensure(steps * batch * tin) }
        for t in 0..<steps {
            let x = training ? tileInputs.pointer + (steps - 1 - t) * batch * tin : evalInputs.ensure(batch * tin)
            for b in 0..<batch {
                let row = x + b * tin
                row.update(from: input + (t * batch + b) * n, count: n)
                if t == 0 {
                    (row + n).update(repeating: 0, count: h)
                } else {
                    (row + n).update(from: y + ((t - 1) * batch + b) * h, count: h)
                }
                if tin > n + h { row[n + h] = 1 }
            }
            let z = mapping.forward(UnsafePointer(x), rows: batch)
            let gates = gatesAll + t * batch * t4
            for b in 0..<batch {
                let zb = z + b * t4, gb = gates + b * t4
                let cb = c + (t * batch + b) * h, tb = tc + (t * batch + b) * h, yb = y + (t * batch + b) * h
                let previous: UnsafeMutablePointer<Float>? = t == 0 ? nil : c + ((t - 1) * batch + b) * h
                for j in 0..<h {
                    let i = SigmoidFunction.value(zb[j])
                    let f = SigmoidFunction.value(zb[h + j])
                    let g = TanhFunction.value(zb[2 * h + j])
                    let o = SigmoidFunction.value(zb[3 * h + j])
                    gb[j] = i; gb[h + j] = f; gb[2 * h + j] = g; gb[3 * h + j] = o
                    let cell = f * (previous?[j] ?? 0) + i * g
                    let tanhCell = TanhFunction.value(cell)
                    cb[j] = cell
                    tb[j] = tanhCell
                    yb[j] = o * tanhCell
                }
            }
        }
        if training {
            trainedSteps = steps
            trainedBatch = batch
        }
        return y
    }

    /// Backpropagation through time of the last training forward: takes ∂L/∂h_t [T × B × H]
    /// (time-major, the gradient from the layers above only) and returns ∂L/∂x_t [T × B × I]
    /// when `computeInputGradient` (nil otherwise). Stores the update rows (see the type's
    /// "Update order") and the bias gradient.
    package func backward(_ gradOutput: UnsafePointer<Float>, computeInputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        let steps = trainedSteps, batch = trainedBatch
        precondition(steps > 0, "AnalogLSTM.backward without a training forward")
        let n = inputSize, h = hiddenSize, t4 = 4 * h
        let gatesAll = gateValues.pointer, c = cells.pointer, tc = cellTanh.pointer
        let errors = gateErrors.ensure(steps * batch * t4)
        let dhNext = hiddenGrad.ensure(batch * h), dcNext = cellGrad.ensure(batch * h)
        dhNext.update(repeating: 0, count: batch * h)
        dcNext.update(repeating: 0, count: batch * h)
        let dx = computeInputGradient ? inputGrad.ensure(steps * batch * n) : nil
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let block = errors + (steps - 1 - t) * batch * t4
            for b in 0..<batch {
                let gb = gatesAll + (t * batch + b) * t4, eb = block + b * t4
                let tb = tc + (t * batch + b) * h, dyb = gradOutput + (t * batch + b) * h
                let previous: UnsafePointer<Float>? = t == 0 ? nil : UnsafePointer(c + ((t - 1) * batch + b) * h)
                let dhb = dhNext + b * h, dcb = dcNext + b * h
                for j in 0..<h {
                    let i = gb[j], f = gb[h + j], g = gb[2 * h + j], o = gb[3 * h + j]
                    let tanhCell = tb[j]
                    let dh = dyb[j] + dhb[j]
                    let dc = dcb[j] + dh * o * (1 - tanhCell * tanhCell)
                    eb[j] = dc * g * i * (1 - i)
                    eb[h + j] = dc * (previous?[j] ?? 0) * f * (1 - f)
                    eb[2 * h + j] = dc * i * (1 - g * g)
                    eb[3 * h + j] = dh * tanhCell * o * (1 - o)
                    dcb[j] = dc * f
                }
            }
            guard computeInputGradient || t > 0 else { continue }
            let dxh = mapping.inputGradient(UnsafePointer(block), rows: batch)
            let tin = mapping.tileInSize
            for b in 0..<batch {
                let row = dxh + b * tin
                if let dx { (dx + (t * batch + b) * n).update(from: row, count: n) }
                (dhNext + b * h).update(from: row + n, count: h)
            }
        }
        mapping.storeUpdateErrors(UnsafePointer(errors), rows: steps * batch)
        return dx
    }

    /// Applies the stored update of the last backward pass with learning rate η ≥ 0: the
    /// digital SGD step of the bias and one tile update over all T × B rows in the order of the
    /// type's "Update order" section, then the tile's post-update step.
    public func update(learningRate: Float) {
        mapping.update(x: UnsafePointer(tileInputs.pointer), learningRate: learningRate)
    }

    public var description: String {
        "AnalogLSTM(\(inputSize)+\(hiddenSize)→4×\(hiddenSize)\(mapping.analogBias ? ", analog bias" : ""))"
    }
}
