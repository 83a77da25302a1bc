/// The shape of one sample: channels × height × width, stored channel-major and row-major
/// (element (c, y, x) at `(c · height + y) · width + x`, the layout of torch's NCHW without N).
///
/// Flat feature vectors are `TensorShape(features: n)` = (n, 1, 1). A mini-batch of `batch`
/// samples is a row-major [batch × count] buffer.
public struct TensorShape: Hashable, Codable, Sendable, CustomStringConvertible {
    public let channels: Int
    public let height: Int
    public let width: Int

    public init(channels: Int, height: Int, width: Int) {
        precondition(channels >= 0 && height >= 0 && width >= 0, "TensorShape: negative size")
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// A flat vector of `features` values.
    public init(features: Int) { self.init(channels: features, height: 1, width: 1) }

    /// Number of values per sample.
    public var count: Int { channels * height * width }

    /// True for flat vectors (height = width = 1).
    public var isFlat: Bool { height == 1 && width == 1 }

    public var description: String { isFlat ? "\(channels)" : "\(channels)×\(height)×\(width)" }
}
