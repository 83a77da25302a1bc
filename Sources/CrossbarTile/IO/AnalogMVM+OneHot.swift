import CrossbarFoundation

extension AnalogMVM {
    /// The MVM of a one-hot input (value `value` on input line `index`), as the transfer reads
    /// of the Tiki-Taka family use it: reads one column (forward) or one row (backward) of W
    /// through this periphery in O(outputSize) instead of a full matrix-vector product.
    ///
    /// Element i of the read line is `weights[index·indexStride + i·lineStride]`. Without
    /// input noise and IR drop (which involve every input line) the result equals
    /// ``apply(weights:input:batch:output:)`` on the one-hot vector in distribution; with them
    /// it falls back to that full computation (given the full `weights` pointer).
    package func readOneHot(weights: UnsafePointer<Float>, index: Int, value: Float,
                           indexStride: Int, lineStride: Int, output: UnsafeMutablePointer<Float>) {
        let m = outputSize
        if io.inpNoise > 0 || io.irDrop > 0 || io.noiseManagement != .none || io.boundManagement != .none && direction == .forward {
            let x = oneHotScratch.ensure(inputSize)
            x.initialize(repeating: 0, count: inputSize)
            x[index] = value
            apply(weights: weights, input: x, batch: 1, output: output)
            return
        }
        let counter = callCount
        callCount &+= 1
        let line = weights + index * indexStride
        if io.isPerfect {
            for i in 0..<m { output[i] = line[i * lineStride] * value * io.outScale }
            return
        }
        // DAC of the single non-zero input (docs/io.md step 4).
        var g = key.generator(counter, 0)
        var v = value
        if inputStep > 0 {
            let r: Float = io.inpStoRound ? g.nextUniform() - 0.5 : 0
            v = Rounding.toNearestEven(value / inputStep + r) * inputStep
        }
        v = min(max(v, -io.inpBound), io.inpBound)
        if io.inpAsymmetry != 0 && v < 0 { v *= 1 - io.inpAsymmetry }
        let y = rawOut.ensure(m)
        for i in 0..<m { y[i] = line[i * lineStride] * v }
        // The shared output stage, with ‖v‖₂ = |v| and Σ_j |w_ij| v_j² = |w_i·| v².
        var noise = WeightNoise.none
        if io.wNoise > 0 {
            switch io.wNoiseType {
            case .none: break
            case .additiveConstant: noise = .constant(io.wNoise * abs(v))
            case .pcmRead:
                let s = auxOut.ensure(m)
                for i in 0..<m { s[i] = io.wNoise * (abs(line[i * lineStride]) * v * v).squareRoot() }
                noise = .perLine(UnsafePointer(s))
            }
        }
        var go = key.generator(counter, 0x80)
        _ = outputStage(y, weightNoise: noise, factor: io.outScale, into: output, &go)
    }
}
