import CrossbarFoundation

/// 2-D max pooling per channel (torch `MaxPool2d` without padding or dilation): output
/// ⌊(size − kernel)/stride⌋ + 1 per direction. Ties pick the first maximum in row-major window
/// order; backward routes each output gradient to that input (the argmax).
public final class MaxPool2d: Layer {
    public let inputShape: TensorShape
    public let kernelSize: Int
    public let stride: Int
    public let outputShape: TensorShape
    private let outputs = ScratchBuffer<Float>()
    private let argmax = ScratchBuffer<Int32>()      // input offset (within a sample) of each output
    private let inputGrad = ScratchBuffer<Float>()

    /// `stride` defaults to `kernelSize` (non-overlapping windows, torch's default).
    public init(inputShape: TensorShape, kernelSize: Int, stride: Int? = nil, field: String = "max_pool") throws {
        let g = try Conv2dGeometry(input: inputShape, kernelHeight: kernelSize, kernelWidth: kernelSize,
                                   strideY: stride ?? kernelSize, strideX: stride ?? kernelSize, field: field)
        self.inputShape = inputShape
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        outputShape = TensorShape(channels: inputShape.channels, height: g.outputHeight, width: g.outputWidth)
    }

    public var description: String { "MaxPool2d(\(kernelSize)×\(kernelSize), stride \(stride))" }

    public func forward(_ inputBuffer: FloatBuffer, batch: Int, training: Bool) -> FloatBuffer {
        let input = inputBuffer.pointer
        let inCount = inputShape.count, outCount = outputShape.count
        let h = inputShape.height, w = inputShape.width
        let oh = outputShape.height, ow = outputShape.width
        let y = outputs.ensure(batch * outCount)
        let arg = argmax.ensure(batch * outCount)
        for b in 0..<batch {
            let x = input + b * inCount
            for c in 0..<inputShape.channels {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var best = -Float.infinity
                        var bestIndex = -1
                        for ky in 0..<kernelSize {
                            let row = (c * h + oy * stride + ky) * w + ox * stride
                            for kx in 0..<kernelSize {
                                let v = x[row + kx]
                                if v > best || bestIndex < 0 { best = v; bestIndex = row + kx }
                            }
                        }
                        let o = b * outCount + (c * oh + oy) * ow + ox
                        y[o] = best
                        arg[o] = Int32(bestIndex)
                    }
                }
            }
        }
        return FloatBuffer(y, count: batch * outputShape.count)
    }

    public func backward(_ gradBuffer: FloatBuffer, batch: Int, computeInputGradient: Bool) -> FloatBuffer? {
        let gradOutput = gradBuffer.pointer
        guard computeInputGradient else { return nil }
        let inCount = inputShape.count, outCount = outputShape.count
        let dx = inputGrad.ensure(batch * inCount)
        dx.update(repeating: 0, count: batch * inCount)
        let arg = argmax.pointer
        for b in 0..<batch {
            for o in 0..<outCount { dx[b * inCount + Int(arg[b * outCount + o])] += gradOutput[b * outCount + o] }
        }
        return FloatBuffer(dx, count: batch * inCount)
    }
}
