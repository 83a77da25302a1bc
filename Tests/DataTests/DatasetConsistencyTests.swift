import Foundation
import Testing
import CrossbarKit
import TestSupport

/// Labels outside the class count and test images of another size than the training images are
/// refused when loading, naming the file, the index and the value — never a silently wider model
/// or a model fed transposed images.
@Suite struct DatasetConsistencyTests {
    /// Writes one split's label file with `labels`.
    private func writeLabels(_ dir: TempFolder, _ prefix: String, _ labels: [UInt8]) throws {
        try IDX.write(IDXArray(dimensions: [labels.count], bytes: labels), to: dir.file("\(prefix)-labels-idx1-ubyte"), compressed: false)
    }

    @Test func aLabelBeyondTheClassCountIsRefusedWithFileIndexAndValue() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        try writeMNISTFolder(dir, trainCount: 20, testCount: 8, compressed: false)
        var labels = [UInt8](repeating: 3, count: 20)
        labels[17] = 200
        try writeLabels(dir, "train", labels)
        try writeLabels(dir, "t10k", [UInt8](repeating: 200, count: 8))
        for split in DatasetSplit.allCases {
            let message = errorMessage { _ = try MNISTFolder(path: dir.path).load(split) }
            let file = dir.file(split == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte")
            #expect(message.contains(file), "\(message)")
            #expect(message.contains("label 200 at index \(split == .train ? 17 : 0)"), "\(message)")
            #expect(message.contains("0…9"), "\(message)")
        }
        // A data set with more classes is loaded by saying so.
        let wide = try MNISTFolder(path: dir.path, classCount: 201).load(.train)
        #expect(wide.classCount == 201 && wide.labels[17] == 200)
        #expect(errorMessage { _ = try MNISTFolder(path: dir.path, classCount: 1).load(.train) }.contains("class_count"))
    }

    @Test func testImagesOfAnotherSizeAreRefusedNamingTheFileAndBothSizes() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        // Same pixel count (6×5 = 30 = 3×10): an fc model would accept them without the check.
        try writeMNISTFolder(dir, trainCount: 12, testCount: 6, height: 6, width: 5, compressed: false)
        try IDX.write(sampleArray([6, 3, 10], seed: 3), to: dir.file("t10k-images-idx3-ubyte"), compressed: false)
        let folder = MNISTFolder(path: dir.path)
        let train = try folder.load(.train)
        let message = errorMessage { _ = try folder.load(.test, shape: train.shape) }
        #expect(message.contains(dir.file("t10k-images-idx3-ubyte")), "\(message)")
        #expect(message.contains("3×10") && message.contains("6×5"), "\(message)")
        // Library users who build data sets themselves get the same refusal from the trainer.
        let test = try folder.load(.test)
        let net = try Models.build(.fc, input: train.shape, classes: train.classCount, configuration: .floatingPoint, seeds: SeedSet(master: 1))
        let trainerMessage = errorMessage {
            _ = try Trainer(model: net, train: train, test: test, options: TrainingOptions(epochs: 1, batchSize: 4, schedule: .constant(0.1)), seeds: SeedSet(master: 1))
        }
        #expect(trainerMessage.contains("test set") && trainerMessage.contains("classes"), "\(trainerMessage)")
    }
}
