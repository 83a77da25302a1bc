import CrossbarFoundation

/// The geometry of a 2-D convolution or pooling window: input shape, kernel, stride and
/// zero padding (torch conventions: output size ⌊(size + 2·padding − kernel)/stride⌋ + 1).
public struct Conv2dGeometry: Hashable, Sendable, CustomStringConvertible {
    public let input: TensorShape
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let strideY: Int
    public let strideX: Int
    public let paddingY: Int
    public let paddingX: Int

    /// Validates that the window fits: kernel ≥ 1, stride ≥ 1, 0 ≤ padding < kernel, and at
    /// least one output position. `field` prefixes parameter names in errors.
    public init(input: TensorShape, kernelHeight: Int, kernelWidth: Int, strideY: Int = 1, strideX: Int = 1,
                paddingY: Int = 0, paddingX: Int = 0, field: String = "conv") throws {
        try Check.atLeast(input.channels, 1, "\(field).in_channels")
        try Check.atLeast(kernelHeight, 1, "\(field).kernel_size")
        try Check.atLeast(kernelWidth, 1, "\(field).kernel_size")
        try Check.atLeast(strideY, 1, "\(field).stride")
        try Check.atLeast(strideX, 1, "\(field).stride")
        for (p, k) in [(paddingY, kernelHeight), (paddingX, kernelWidth)] where p < 0 || p >= k {
            throw CrossbarError.invalidParameter(field: "\(field).padding", value: "\(p)", allowed: "0…\(k - 1) (less than the kernel size)")
        }
        self.input = input
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.paddingY = paddingY
        self.paddingX = paddingX
        guard input.height + 2 * paddingY >= kernelHeight, input.width + 2 * paddingX >= kernelWidth else {
            throw CrossbarError.shapeMismatch(what: "\(field) input", expected: "at least \(kernelHeight - 2 * paddingY)×\(kernelWidth - 2 * paddingX) pixels for a \(kernelHeight)×\(kernelWidth) kernel with padding \(paddingY)×\(paddingX)",
                                              got: "\(input)")
        }
    }

    public var outputHeight: Int { (input.height + 2 * paddingY - kernelHeight) / strideY + 1 }
    public var outputWidth: Int { (input.width + 2 * paddingX - kernelWidth) / strideX + 1 }
    /// Output positions per channel.
    public var positions: Int { outputHeight * outputWidth }
    /// Values in one patch: in_channels · kernel height · kernel width (the tile's fan-in).
    public var patchSize: Int { input.channels * kernelHeight * kernelWidth }

    /// For every (output position p, patch element k = (c·kh + ky)·kw + kx), the offset of the
    /// input value inside one sample, or −1 where the window covers zero padding. Row-major
    /// [positions × patchSize]; k follows torch's weight layout [out, in, kh, kw].
    public func patchOffsets() -> [Int32] {
        var table = [Int32](repeating: -1, count: positions * patchSize)
        let h = input.height, w = input.width
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let p = oy * outputWidth + ox
                for c in 0..<input.channels {
                    for ky in 0..<kernelHeight {
                        let iy = oy * strideY - paddingY + ky
                        for kx in 0..<kernelWidth {
                            let ix = ox * strideX - paddingX + kx
                            guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                            table[p * patchSize + (c * kernelHeight + ky) * kernelWidth + kx] = Int32((c * h + iy) * w + ix)
                        }
                    }
                }
            }
        }
        return table
    }

    public var description: String {
        "\(kernelHeight)×\(kernelWidth), stride \(strideY == strideX ? "\(strideY)" : "\(strideY)×\(strideX)"), padding \(paddingY == paddingX ? "\(paddingY)" : "\(paddingY)×\(paddingX)")"
    }
}
