import Foundation
import Testing
import CrossbarKit
import TestSupport

/// Writes an MNIST-layout folder with `count` random h×w images per split.
func writeMNISTFolder(_ dir: TempFolder, trainCount: Int, testCount: Int, height: Int = 6, width: Int = 5,
                      compressed: Bool, labelCountOffset: Int = 0) throws {
    for (prefix, n) in [("train", trainCount), ("t10k", testCount)] {
        let ext = compressed ? ".gz" : ""
        let images = sampleArray([n, height, width], seed: UInt64(n))
        var g = Xoshiro256(seed: 99)
        let labels = IDXArray(dimensions: [n + labelCountOffset], bytes: (0..<(n + labelCountOffset)).map { _ in UInt8(g.next() % 10) })
        try IDX.write(images, to: dir.file("\(prefix)-images-idx3-ubyte\(ext)"), compressed: compressed)
        try IDX.write(labels, to: dir.file("\(prefix)-labels-idx1-ubyte\(ext)"), compressed: compressed)
    }
}

@Suite struct DatasetTests {
    @Test(arguments: [false, true])
    func mnistFolderLoadsAndScalesPixels(compressed: Bool) throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        try writeMNISTFolder(dir, trainCount: 40, testCount: 12, compressed: compressed)
        let folder = MNISTFolder(path: dir.path)
        #expect(folder.isAvailable)
        let train = try folder.load(.train)
        #expect(train.count == 40)
        #expect(train.shape == TensorShape(channels: 1, height: 6, width: 5))
        #expect(train.classCount == 10)
        let raw = sampleArray([40, 6, 5], seed: 40).bytes
        for i in [0, 17, raw.count - 1] { #expect(train.images[i] == Float(raw[i]) / 255) }
        #expect(train.images.allSatisfy { $0 >= 0 && $0 <= 1 })
        let test = try folder.load(.test, limit: 5)
        #expect(test.count == 5 && test.images.count == 5 * 30)
        #expect(test.name.hasSuffix("/test"))
    }

    @Test func labelImageCountMismatchNamesBothFiles() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        try writeMNISTFolder(dir, trainCount: 20, testCount: 8, compressed: false, labelCountOffset: -1)
        let message = errorMessage { _ = try MNISTFolder(path: dir.path).load(.train) }
        #expect(message.contains(dir.file("train-labels-idx1-ubyte")))
        #expect(message.contains("holds 19 labels but \(dir.file("train-images-idx3-ubyte")) holds 20 images"))
    }

    @Test func missingFolderAndFilesSuggestSetup() throws {
        let missing = errorMessage { _ = try MNISTFolder(path: "/nonexistent/fmnist").load(.train) }
        #expect(missing.hasPrefix("/nonexistent/fmnist: no such dataset folder"))
        #expect(missing.contains("scripts/setup.sh") && missing.contains("dataset-fashion-mnist"))
        let dir = try TempFolder(); defer { dir.cleanup() }
        let noFiles = errorMessage { _ = try MNISTFolder(path: dir.path).load(.test) }
        #expect(noFiles.contains("no test images file (looked for t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz"))
        #expect(!MNISTFolder(path: dir.path).isAvailable)
    }

    @Test func limitsAndSubsetsAreValidated() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        try writeMNISTFolder(dir, trainCount: 10, testCount: 4, compressed: false)
        let folder = MNISTFolder(path: dir.path)
        #expect(errorMessage { _ = try folder.load(.train, limit: 11, limitField: "--train-samples") }
            .contains("invalid value for '--train-samples': 11 (allowed: 1…10"))
        let full = try folder.load(.train)
        let first3 = try full.prefix(3, field: "--train-samples")
        #expect(first3.count == 3 && first3.labels == Array(full.labels[0..<3]))
        #expect(first3.images == Array(full.images[0..<(3 * 30)]))
        #expect(errorMessage { _ = try full.prefix(0, field: "--train-samples") }.contains("'--train-samples': 0"))
    }

    @Test func datasetValidatesLabelsAndSizes() {
        let shape = TensorShape(features: 2)
        #expect(errorMessage { _ = try Dataset(name: "d", shape: shape, classCount: 3, images: [0, 0, 0], labels: [0, 1]) }
            .contains("shape mismatch for d images"))
        #expect(errorMessage { _ = try Dataset(name: "d", shape: shape, classCount: 3, images: [0, 0, 0, 0], labels: [0, 3]) }
            .contains("label of sample 1': 3 (allowed: 0…2)"))
        #expect(errorMessage { _ = try Dataset(name: "d", shape: shape, classCount: 3, images: [0, .nan, 0, 0], labels: [0, 1]) }
            .contains("non-finite"))
    }

    /// Reads the real Fashion-MNIST of the Debian package when installed (skipped otherwise).
    @Test(.enabled(if: MNISTFolder().isAvailable, "Fashion-MNIST not installed (scripts/setup.sh installs it)"))
    func realFashionMNIST() throws {
        let folder = MNISTFolder()
        let train = try folder.load(.train)
        let test = try folder.load(.test)
        #expect(train.count == 60_000 && test.count == 10_000)
        #expect(train.shape == TensorShape(channels: 1, height: 28, width: 28))
        #expect(train.classCount == 10 && test.classCount == 10)
        // Fashion-MNIST is balanced: 6000 training and 1000 test images per class.
        #expect(train.classHistogram() == [Int](repeating: 6000, count: 10))
        #expect(test.classHistogram() == [Int](repeating: 1000, count: 10))
        let mean = train.images.reduce(0.0) { $0 + Double($1) } / Double(train.images.count)
        // The published mean pixel intensity of Fashion-MNIST training images is 0.2860.
        #expect(abs(mean - 0.2860) < 0.001)
    }

    @Test func gaussianClustersAreSeededAndBalanced() throws {
        let a = try SyntheticData.gaussianClusters(trainCount: 100, testCount: 20, seeds: SeedSet(master: 1))
        let b = try SyntheticData.gaussianClusters(trainCount: 100, testCount: 20, seeds: SeedSet(master: 1))
        let c = try SyntheticData.gaussianClusters(trainCount: 100, testCount: 20, seeds: SeedSet(master: 2))
        #expect(a.train == b.train && a.test == b.test)
        #expect(a.train.images != c.train.images)
        #expect(a.train.classHistogram() == [25, 25, 25, 25])
        // Prefix property: a larger draw starts with the smaller one.
        let bigger = try SyntheticData.gaussianClusters(trainCount: 200, testCount: 20, seeds: SeedSet(master: 1))
        #expect(Array(bigger.train.images[0..<(100 * 16)]) == a.train.images)
        // Per-feature deviation from the class mean has std = spread = 0.15: over n = 1600
        // values of 100 samples, the sample std has SE ≈ 0.15/√3200 ≈ 0.0027; allow 4 SE.
        let big = try SyntheticData.gaussianClusters(trainCount: 4000, testCount: 1, seeds: SeedSet(master: 3))
        var means = [Double](repeating: 0, count: 4 * 16)
        for i in 0..<big.train.count { for j in 0..<16 { means[Int(big.train.labels[i]) * 16 + j] += Double(big.train.images[i * 16 + j]) / 1000 } }
        var stats = SampleStats()
        for i in 0..<100 { for j in 0..<16 { stats.add(Double(big.train.images[i * 16 + j]) - means[Int(big.train.labels[i]) * 16 + j]) } }
        #expect(abs(stats.std - 0.15) < 4 * 0.15 / (2.0 * 1600).squareRoot())
    }

    @Test func barsHaveOneLineOfTheLabelledOrientation() throws {
        let (train, _) = try SyntheticData.bars(size: 8, trainCount: 40, testCount: 4, noise: 0.3, seeds: SeedSet(master: 5))
        #expect(train.images.allSatisfy { $0 >= 0 && $0 <= 1 })
        for i in 0..<train.count {
            let img = train.sample(i)
            let on = (0..<64).filter { img[$0] == 1 }.map { ($0 / 8, $0 % 8) }
            #expect(on.count >= 2)
            switch train.labels[i] {
            case 0: #expect(Set(on.map(\.0)).count == 1 && on.count == 8)
            case 1: #expect(Set(on.map(\.1)).count == 1 && on.count == 8)
            case 2: #expect(Set(on.map { $0.1 - $0.0 }).count == 1)
            default: #expect(Set(on.map { $0.1 + $0.0 }).count == 1)
            }
        }
    }
}
