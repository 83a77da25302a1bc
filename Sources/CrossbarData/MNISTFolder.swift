import Foundation
import CrossbarFoundation

/// The two parts of an MNIST-format dataset.
public enum DatasetSplit: String, Sendable, CaseIterable, CustomStringConvertible {
    case train
    case test

    /// File name prefix of the split in MNIST-format folders.
    var filePrefix: String { self == .train ? "train" : "t10k" }

    public var description: String { rawValue }
}

/// A folder in the MNIST layout: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
/// `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each optionally gzip-compressed
/// (`.gz`); the dotted spelling `train-images.idx3-ubyte` is accepted too.
///
/// The default is Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) as installed by the Debian package
/// `dataset-fashion-mnist` (which `scripts/setup.sh` installs): 60 000 training and 10 000 test
/// images of 28×28 grey pixels, 10 classes. The original MNIST in the same layout works too.
public struct MNISTFolder: Sendable {
    /// Where the Debian package dataset-fashion-mnist installs its files.
    public static let defaultFashionMNISTPath = "/usr/share/datasets/fashion-mnist"

    /// The folder.
    public let path: String
    /// Number of classes the labels must index (every label in 0..<classCount). Default 10, the
    /// MNIST and Fashion-MNIST class count; the model's output layer gets this many units, so a
    /// stray label value cannot silently widen the model.
    public let classCount: Int

    public init(path: String = MNISTFolder.defaultFashionMNISTPath, classCount: Int = 10) {
        self.path = path
        self.classCount = classCount
    }

    /// True when the folder holds an images and a labels file for both splits.
    public var isAvailable: Bool {
        DatasetSplit.allCases.allSatisfy { (try? files(for: $0)) != nil }
    }

    /// A short dataset name for reports: the folder's last path component.
    public var datasetName: String {
        let last = URL(fileURLWithPath: path).lastPathComponent
        return last.isEmpty ? path : last
    }

    /// The image and label file paths of `split`; throws when the folder or a file is missing.
    public func files(for split: DatasetSplit) throws -> (images: String, labels: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CrossbarError.file(path: path, reason: "no such dataset folder" + Self.setupHint)
        }
        guard isDirectory.boolValue else {
            throw CrossbarError.file(path: path, reason: "is a file, expected a folder of MNIST-format files" + Self.setupHint)
        }
        return (try find(split, kind: "images", rank: 3), try find(split, kind: "labels", rank: 1))
    }

    /// Loads `split`, keeping the first `limit` samples when given (1 ≤ limit ≤ size).
    /// Pixels are scaled to [0, 1] (byte / 255); labels become class indices in
    /// 0..<``classCount`` — a label outside is refused naming the file, its index and value.
    /// With `shape` (pass the training set's shape when loading the test set), images of any
    /// other size are refused naming the file and both sizes.
    public func load(_ split: DatasetSplit, limit: Int? = nil, limitField: String? = nil, shape expected: TensorShape? = nil) throws -> Dataset {
        let (imagesPath, labelsPath) = try files(for: split)
        let images = try IDX.read(path: imagesPath)
        guard images.dimensions.count == 3 else {
            throw CrossbarError.file(path: imagesPath, reason: "expected a 3-dimensional IDX array (count × height × width), found dimensions \(images.dimensions)")
        }
        let labels = try IDX.read(path: labelsPath)
        guard labels.dimensions.count == 1 else {
            throw CrossbarError.file(path: labelsPath, reason: "expected a 1-dimensional IDX array of labels, found dimensions \(labels.dimensions)")
        }
        let count = images.dimensions[0]
        guard labels.dimensions[0] == count else {
            throw CrossbarError.file(path: labelsPath, reason: "holds \(labels.dimensions[0]) labels but \(imagesPath) holds \(count) images (the counts must match)")
        }
        guard count > 0 else { throw CrossbarError.file(path: imagesPath, reason: "holds no images") }
        let height = images.dimensions[1], width = images.dimensions[2]
        guard height > 0 && width > 0 else {
            throw CrossbarError.file(path: imagesPath, reason: "images have size \(height)×\(width) (expected at least 1×1)")
        }
        guard classCount >= 2 && classCount <= 256 else {
            throw CrossbarError.invalidParameter(field: "class_count", value: "\(classCount)", allowed: "2…256 (IDX labels are bytes)")
        }
        if let bad = labels.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw CrossbarError.file(path: labelsPath, reason: "label \(labels.bytes[bad]) at index \(bad) is outside 0…\(classCount - 1) (the data set has \(classCount) classes)")
        }
        if let expected, expected != TensorShape(channels: 1, height: height, width: width) {
            throw CrossbarError.file(path: imagesPath, reason: "images are \(height)×\(width) but the training images are \(expected.height)×\(expected.width) (both splits must have the same image size)")
        }
        var n = count
        if let limit {
            guard limit >= 1 && limit <= count else {
                throw CrossbarError.invalidParameter(field: limitField ?? "\(split)_samples", value: "\(limit)",
                                                     allowed: "1…\(count) (the size of the \(split) split in \(path))")
            }
            n = limit
        }
        let features = height * width
        var pixels = [Float](repeating: 0, count: n * features)
        let table = (0..<256).map { Float($0) / 255 } // correctly rounded byte / 255
        images.bytes.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                table.withUnsafeBufferPointer { t in
                    for i in 0..<(n * features) { dst[i] = t[Int(src[i])] }
                }
            }
        }
        let classes = labels.bytes[0..<n].map { Int32($0) }
        return try Dataset(name: "\(datasetName)/\(split)", shape: TensorShape(channels: 1, height: height, width: width),
                           classCount: classCount, images: pixels, labels: classes)
    }

    static let setupHint = "; install Fashion-MNIST with scripts/setup.sh (Debian package dataset-fashion-mnist, installed at \(defaultFashionMNISTPath)) or pass a folder with MNIST-format files"

    private func find(_ split: DatasetSplit, kind: String, rank: Int) throws -> String {
        let stems = ["\(split.filePrefix)-\(kind)-idx\(rank)-ubyte", "\(split.filePrefix)-\(kind).idx\(rank)-ubyte"]
        let candidates = stems.flatMap { [$0, $0 + ".gz"] }
        for name in candidates {
            let full = (path as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: full) { return full }
        }
        throw CrossbarError.file(path: path, reason: "no \(split) \(kind) file (looked for \(candidates.joined(separator: ", ")))" + Self.setupHint)
    }
}
