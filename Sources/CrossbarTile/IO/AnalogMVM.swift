import CrossbarFoundation

/// Direction of an analog matrix-vector product through a tile's weights W [out × in].
public enum MVMDirection: Sendable {
    /// y = W x (input length `in`, output length `out`).
    case forward
    /// z = Wᵀ d (input length `out`, output length `in`); bound management never applies.
    case backward
}

/// The analog MVM of docs/io.md for whole mini-batches: one BLAS GEMM for the batch, then the
/// per-sample non-idealities (noise management, DAC, input noise, weight noise, output noise,
/// ADC, clipping) and bound management, which recomputes only the samples that clipped.
///
/// Randomness: the noise of sample b in call c comes from the generator
/// `key.generator(c, b·256 + pass)`, so results do not depend on threads or on which other
/// samples needed bound management. Steady-state calls allocate nothing.
public final class AnalogMVM: @unchecked Sendable {
    public let io: IOParameters
    public let direction: MVMDirection
    /// Length of the MVM's input vectors.
    public let inputSize: Int
    /// Length of the MVM's output vectors.
    public let outputSize: Int
    /// Per-output-line noise std (nil when out_noise_std = 0).
    let outNoisePerLine: [Float]?
    let key: StreamKey
    /// Number of calls so far (the counter of the noise generators; checkpointed).
    public package(set) var callCount: UInt64 = 0
    /// Running max|x| of average_abs_max noise management (−1 = not started, the first
    /// vector sets it to its max|x|; checkpointed). Forward and backward keep separate values.
    public package(set) var runningAbsMax: Float = -1

    private let effectiveBM: BoundManagement
    private let inStep: Float
    private let outStep: Float
    /// DAC step (0: no quantisation) and ADC step (0: none) of this periphery.
    var inputStep: Float { inStep }
    var outputStep: Float { outStep }
    let oneHotScratch = ScratchBuffer<Float>()
    /// Highest ADC level L (outputs are k·outStep, |k| ≤ L): out_bound / step, snapped to the
    /// integer it is within rounding of (the default 12 / (24/510) = 255 is not exact in Float).
    private let outLevels: Float

    // Scratch (reused across calls).
    private let prepared = ScratchBuffer<Float>()     // [batch × inputSize] DAC outputs v
    let rawOut = ScratchBuffer<Float>()       // [batch × outputSize]
    private let scales = ScratchBuffer<Float>()       // per sample α_nm
    private let betas = ScratchBuffer<Float>()        // per sample β of the last call
    private let flags = ScratchBuffer<UInt8>()        // per sample: needs BM / zero output
    private let absWeights = ScratchBuffer<Float>()   // |M| for pcm_read / ir_drop (once per call)
    private let auxIn = ScratchBuffer<Float>()
    let auxOut = ScratchBuffer<Float>()
    private let auxOut2 = ScratchBuffer<Float>()
    private var lastBatch = 0

    /// - Parameters:
    ///   - io: validated IO parameters (bound management is forced off for backward).
    ///   - direction: forward (W·x) or backward (Wᵀ·d).
    ///   - inputSize: length of an input vector (W's columns forward, its rows backward).
    ///   - outputSize: length of an output vector.
    ///   - key: the mvm_noise stream key of this tile and direction.
    ///   - construction: generator for per-output-line parameters (out_noise_std).
    public init(io: IOParameters, direction: MVMDirection, inputSize: Int, outputSize: Int,
                key: StreamKey, construction: inout Xoshiro256) {
        self.io = io
        self.direction = direction
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.key = key
        effectiveBM = direction == .backward ? .none : io.boundManagement
        inStep = io.inputStep
        outStep = io.outputStep
        outLevels = outStep > 0 ? (io.outBound / outStep + 1e-3).rounded(.down) : 0
        if io.outNoiseStd > 0 && !io.isPerfect {
            outNoisePerLine = (0..<outputSize).map { _ in abs(io.outNoise * (1 + io.outNoiseStd * construction.nextGaussian())) }
        } else {
            outNoisePerLine = nil
        }
    }

    /// β used for sample `b` in the last call (1 when bound management did not act).
    public func lastBoundManagementFactor(_ b: Int) -> Float {
        precondition(b >= 0 && b < lastBatch, "sample index out of range")
        return betas.pointer[b]
    }

    /// Computes the MVM of `batch` input vectors (row-major [batch × inputSize]) into `output`
    /// ([batch × outputSize]). `weights` is the tile's W, row-major [rows × cols] with
    /// (rows, cols) = (outputSize, inputSize) for forward and (inputSize, outputSize) for
    /// backward.
    package func apply(weights: UnsafePointer<Float>, input: UnsafePointer<Float>, batch: Int,
                      output: UnsafeMutablePointer<Float>) {
        let counter = callCount
        callCount &+= 1
        lastBatch = batch
        let n = inputSize, m = outputSize
        let betaP = betas.ensure(batch)
        for b in 0..<batch { betaP[b] = 1 }
        if batch == 0 { return }

        if io.isPerfect {
            multiply(weights: weights, v: input, batch: batch, out: output)
            if io.outScale != 1 { for i in 0..<(batch * m) { output[i] *= io.outScale } }
            return
        }

        if needsAbsoluteWeights { computeAbsoluteWeights(weights) }
        let v = prepared.ensure(batch * n)
        let alpha = scales.ensure(batch)
        let flag = flags.ensure(batch)
        // Noise-management scales (sequential: average_abs_max has state).
        for b in 0..<batch {
            alpha[b] = noiseManagementScale(input + b * n, n)
            flag[b] = (io.noiseManagement != .none && alpha[b] <= 0 && io.inpNoise <= 0) ? 2 : 0
        }
        // Pass 0 for all samples: DAC, one GEMM, output stage.
        for b in 0..<batch {
            var g = key.generator(counter, UInt64(b) << 8)
            prepareInput(input + b * n, scale: inputScale(alpha[b], beta: 1), into: v + b * n, &g)
        }
        let y = rawOut.ensure(batch * m)
        multiply(weights: weights, v: v, batch: batch, out: y)
        for b in 0..<batch {
            if flag[b] == 2 { for i in 0..<m { output[b * m + i] = 0 }; continue }
            var g = key.generator(counter, (UInt64(b) << 8) | 0x80)
            let s = inputScale(alpha[b], beta: 1)
            let clipped = finishOutput(raw: y + b * m, v: v + b * n, weights: weights,
                                       factor: io.outScale / s, into: output + b * m, &g)
            if clipped && effectiveBM != .none { flag[b] = 1 }
        }
        // Bound management: recompute only the samples that clipped, one at a time.
        guard effectiveBM != .none else { return }
        for b in 0..<batch where flag[b] == 1 {
            var a = alpha[b]
            var beta: Float = 1
            var pass: UInt64 = 1
            var clipped = true
            while clipped {
                if effectiveBM == .iterativeWorstCase && pass == 1 {
                    a = worstCaseScale(input + b * n, n)
                    beta = 1
                } else {
                    guard canDouble(beta) else { break }
                    beta *= 2
                }
                var g = key.generator(counter, (UInt64(b) << 8) | pass)
                let s = inputScale(a, beta: beta)
                let vb = v + b * n
                prepareInput(input + b * n, scale: s, into: vb, &g)
                let yb = y + b * m
                multiply(weights: weights, v: vb, batch: 1, out: yb)
                var g2 = key.generator(counter, (UInt64(b) << 8) | 0x80 | pass)
                clipped = finishOutput(raw: yb, v: vb, weights: weights, factor: io.outScale / s,
                                       into: output + b * m, &g2)
                betaP[b] = beta
                pass += 1
                if pass >= 0x7F { break }
            }
        }
    }

    /// True if bound management may double β once more (docs/io.md step 3).
    @inline(__always) private func canDouble(_ beta: Float) -> Bool {
        if beta > io.maxBmFactor { return false }
        if inStep > 0 && beta > io.maxBmRes / inStep { return false }
        return true
    }

    @inline(__always) private func inputScale(_ alpha: Float, beta: Float) -> Float {
        let nm: Float = (io.noiseManagement != .none && alpha > 0) ? 1 / alpha : 1
        return nm / beta
    }

    /// α_nm of one input vector (docs/io.md step 2).
    private func noiseManagementScale(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        switch io.noiseManagement {
        case .none:
            return 1
        case .absMax:
            let m = absMax(x, n)
            return io.nmThres > 0 ? min(m, io.nmThres) : m
        case .max:
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[j]) }
            return io.nmThres > 0 ? min(m, io.nmThres) : m
        case .constant:
            return io.nmThres > 0 ? io.nmThres : 1
        case .averageAbsMax:
            let m = absMax(x, n)
            runningAbsMax = runningAbsMax < 0 ? m : runningAbsMax * (1 - io.nmDecay) + io.nmDecay * m
            return runningAbsMax
        }
    }

    /// Worst-case scale of iterative_worst_case (ABS_MAX_NP_SUM of the reference simulator).
    private func worstCaseScale(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = absMax(x, n)
        if io.nmThres > 0 { m = min(m, io.nmThres) }
        var pos: Float = 0, neg: Float = 0
        for j in 0..<n { if x[j] > 0 { pos += x[j] } else { neg -= x[j] } }
        let bound = io.outBound > 0 ? io.outBound : Float.infinity
        let sumScale = Swift.max(pos, neg) * io.nmAssumedWmax / bound
        let resCap = inStep > 0 ? m / inStep * io.maxBmRes : Float.infinity
        return Swift.max(m, min(resCap, sumScale))
    }

    @inline(__always) private func absMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m: Float = 0
        for j in 0..<n { m = Swift.max(m, abs(x[j])) }
        return m
    }

    /// DAC stage: scale, quantise (round half to even or stochastic), clip, input noise,
    /// input asymmetry (docs/io.md step 4).
    private func prepareInput(_ x: UnsafePointer<Float>, scale: Float, into v: UnsafeMutablePointer<Float>,
                              _ g: inout Xoshiro256) {
        let n = inputSize
        let bound = io.inpBound
        if inStep > 0 {
            let inv = 1 / inStep, step = inStep
            if io.inpStoRound {
                for j in 0..<n {
                    let q = Rounding.toNearestEven(x[j] * scale * inv + g.nextUniform() - 0.5) * step
                    v[j] = min(max(q, -bound), bound)
                }
            } else {
                for j in 0..<n {
                    let q = Rounding.toNearestEven(x[j] * scale * inv) * step
                    v[j] = min(max(q, -bound), bound)
                }
            }
        } else {
            for j in 0..<n { v[j] = min(max(x[j] * scale, -bound), bound) }
        }
        if io.inpNoise > 0 {
            for j in 0..<n { v[j] += io.inpNoise * g.nextGaussian() }
        }
        if io.inpAsymmetry != 0 {
            let f = 1 - io.inpAsymmetry
            for j in 0..<n where v[j] < 0 { v[j] *= f }
        }
    }

    /// The raw products M·v for `batch` prepared vectors (one GEMM).
    private func multiply(weights: UnsafePointer<Float>, v: UnsafePointer<Float>, batch: Int,
                          out: UnsafeMutablePointer<Float>) {
        switch direction {
        case .forward:
            DenseKernels.forward(weights: weights, out: outputSize, in: inputSize, input: v, batch: batch, output: out)
        case .backward:
            DenseKernels.backward(weights: weights, out: inputSize, in: outputSize, input: v, batch: batch, output: out)
        }
    }

    /// Output stage of one sample (docs/io.md steps 6–8): IR drop, then the weight-noise
    /// standard deviations of this input (σ_w·‖v‖₂ for additive_constant, σ_w·√(Σ_j |w_ij| v_j²)
    /// per line for pcm_read) and ``outputStage(_:weightNoise:factor:into:_:)``.
    private func finishOutput(raw y: UnsafeMutablePointer<Float>, v: UnsafePointer<Float>,
                              weights: UnsafePointer<Float>, factor: Float,
                              into out: UnsafeMutablePointer<Float>, _ g: inout Xoshiro256) -> Bool {
        let m = outputSize, n = inputSize
        if io.irDrop > 0 { applyIRDrop(y, v, weights) }
        var noise = WeightNoise.none
        if io.wNoise > 0 {
            switch io.wNoiseType {
            case .none:
                break
            case .additiveConstant:
                var ss: Float = 0
                for j in 0..<n { ss += v[j] * v[j] }
                noise = .constant(io.wNoise * ss.squareRoot())
            case .pcmRead:
                let v2 = auxIn.ensure(n)
                for j in 0..<n { v2[j] = v[j] * v[j] }
                let s = auxOut.ensure(m)
                multiply(weights: absWeights.pointer, v: v2, batch: 1, out: s)
                for i in 0..<m { s[i] = io.wNoise * max(s[i], 0).squareRoot() }
                noise = .perLine(UnsafePointer(s))
            }
        }
        return outputStage(y, weightNoise: noise, factor: factor, into: out, &g)
    }

    /// The standard deviation of the weight noise of one read: none, one for every output line,
    /// or one per line.
    enum WeightNoise {
        case none
        case constant(Float)
        case perLine(UnsafePointer<Float>)
    }

    /// The part of the output stage every read shares — the full MVM and the one-hot transfer
    /// read (docs/io.md steps 6–8): weight noise, output asymmetry and output noise on `y` in
    /// place, then ADC quantisation, clipping to ±out_bound and the digital factor (out_scale /
    /// input scale) into `out`. Returns whether any quantised output lay beyond the bound (the
    /// BM test, on the ADC value as in the reference simulator).
    func outputStage(_ y: UnsafeMutablePointer<Float>, weightNoise: WeightNoise, factor: Float,
                     into out: UnsafeMutablePointer<Float>, _ g: inout Xoshiro256) -> Bool {
        let m = outputSize
        switch weightNoise {
        case .none: break
        case let .constant(std): Ziggurat.addNoise(to: y, count: m, std: std, &g)
        case let .perLine(stds): Ziggurat.addNoise(to: y, count: m, stds: stds, &g)
        }
        if io.outAsymmetry != 0 {
            let f = 1 - io.outAsymmetry
            for i in 0..<m where y[i] < 0 { y[i] *= f }
        }
        if let sigma = outNoisePerLine {
            sigma.withUnsafeBufferPointer { Ziggurat.addNoise(to: y, count: m, stds: $0.baseAddress!, &g) }
        } else if io.outNoise > 0 {
            Ziggurat.addNoise(to: y, count: m, std: io.outNoise, &g)
        }
        let bound = io.outBound
        guard bound > 0 else {
            for i in 0..<m { out[i] = y[i] * factor }
            return false
        }
        // ADC: quantise, record the extremes for the BM test, clip, scale.
        var high = -Float.infinity, low = Float.infinity
        if outStep > 0 {
            // The BM test compares the integer ADC level with ±L, free of rounding in level·step.
            let inv = 1 / outStep, step = outStep
            if io.outStoRound {
                for i in 0..<m {
                    let level = Rounding.toNearestEven(y[i] * inv + g.nextUniform() - 0.5)
                    high = max(high, level); low = min(low, level)
                    out[i] = min(max(level * step, -bound), bound) * factor
                }
            } else {
                for i in 0..<m {
                    let level = Rounding.toNearestEven(y[i] * inv)
                    high = max(high, level); low = min(low, level)
                    out[i] = min(max(level * step, -bound), bound) * factor
                }
            }
            return high > outLevels || (io.bmTestNegativeBound && low < -outLevels)
        }
        for i in 0..<m {
            let q = y[i]
            high = max(high, q); low = min(low, q)
            out[i] = min(max(q, -bound), bound) * factor
        }
        return high > bound || (io.bmTestNegativeBound && low < -bound)
    }

    /// True when the output stage reads |M| (pcm_read weight noise or IR drop).
    private var needsAbsoluteWeights: Bool {
        (io.wNoise > 0 && io.wNoiseType == .pcmRead) || io.irDrop > 0
    }

    /// |M| in the stored layout of W into `absWeights` (once per call).
    private func computeAbsoluteWeights(_ w: UnsafePointer<Float>) {
        let count = inputSize * outputSize
        let a = absWeights.ensure(count)
        for k in 0..<count { a[k] = abs(w[k]) }
    }

    /// IR drop (docs/io.md step 6): a_i = (n/g)·Σ_j |w_ij||v_j|, c_i = a_i(a_i(0.05a_i − 0.2) + 0.5),
    /// y_i −= ir_drop · c_i · Σ_j w_ij v_j (1 − (1 − j/n)²).
    private func applyIRDrop(_ y: UnsafeMutablePointer<Float>, _ v: UnsafePointer<Float>, _ w: UnsafePointer<Float>) {
        let n = inputSize, m = outputSize
        let a = UnsafePointer(absWeights.pointer)
        let av = auxIn.ensure(2 * n)
        for j in 0..<n { av[j] = abs(v[j]) }
        let vp = av + n
        let fn = Float(n)
        for j in 0..<n {
            let r = 1 - Float(j) / fn
            vp[j] = v[j] * (1 - r * r)
        }
        let s1 = auxOut.ensure(m)
        let s2 = auxOut2.ensure(m)
        multiply(weights: a, v: av, batch: 1, out: s1)
        multiply(weights: w, v: vp, batch: 1, out: s2)
        let k = fn / io.irDropGRatio
        for i in 0..<m {
            let ai = k * s1[i]
            let ci = ai * (ai * (0.05 * ai - 0.2) + 0.5)
            y[i] -= io.irDrop * ci * s2[i]
        }
    }
}
