import CrossbarFoundation

/// A labelled classification dataset held in memory.
///
/// `images` is row-major [count × shape.count] (one sample per row, channel-major inside a
/// sample, see `TensorShape`). Images read from IDX files are pixel bytes scaled to [0, 1]
/// (value / 255); synthetic datasets document their own ranges. Labels are class indices in
/// 0..<classCount.
public struct Dataset: Sendable, Equatable {
    /// A short name for reports (e.g. "fashion-mnist/train").
    public let name: String
    /// Shape of one sample.
    public let shape: TensorShape
    /// Number of classes; every label is in 0..<classCount.
    public let classCount: Int
    /// Sample values, row-major [count × shape.count].
    public let images: [Float]
    /// Class index of each sample.
    public let labels: [Int32]

    /// Validates and wraps the arrays: sizes must agree, labels must lie in 0..<classCount,
    /// values must be finite.
    public init(name: String, shape: TensorShape, classCount: Int, images: [Float], labels: [Int32]) throws {
        guard shape.count > 0 else {
            throw CrossbarError.shapeMismatch(what: "\(name) sample shape", expected: "at least 1 value per sample", got: "\(shape)")
        }
        guard classCount >= 2 else {
            throw CrossbarError.invalidParameter(field: "\(name).class_count", value: "\(classCount)", allowed: "≥ 2")
        }
        guard images.count == labels.count * shape.count else {
            throw CrossbarError.shapeMismatch(what: "\(name) images", expected: "\(labels.count) samples × \(shape.count) values = \(labels.count * shape.count)",
                                              got: "\(images.count) values")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classCount }) {
            throw CrossbarError.invalidParameter(field: "\(name) label of sample \(bad)", value: "\(labels[bad])", allowed: "0…\(classCount - 1)")
        }
        try images.withUnsafeBufferPointer { try Check.finite($0, "\(name) images") }
        self.name = name
        self.shape = shape
        self.classCount = classCount
        self.images = images
        self.labels = labels
    }

    /// Number of samples.
    public var count: Int { labels.count }

    /// Values per sample.
    public var featureCount: Int { shape.count }

    /// The values of sample `i` (copy).
    public func sample(_ i: Int) -> [Float] {
        Array(images[(i * featureCount)..<((i + 1) * featureCount)])
    }

    /// The first `n` samples (1 ≤ n ≤ count); `field` names the option in errors (e.g.
    /// "--train-samples").
    public func prefix(_ n: Int, field: String = "samples") throws -> Dataset {
        guard n >= 1 && n <= count else {
            throw CrossbarError.invalidParameter(field: field, value: "\(n)", allowed: "1…\(count) (the size of \(name))")
        }
        if n == count { return self }
        return try Dataset(name: name, shape: shape, classCount: classCount,
                           images: Array(images[0..<(n * featureCount)]), labels: Array(labels[0..<n]))
    }

    /// Number of samples of each class (index = class).
    public func classHistogram() -> [Int] {
        var h = [Int](repeating: 0, count: classCount)
        for l in labels { h[Int(l)] += 1 }
        return h
    }
}
