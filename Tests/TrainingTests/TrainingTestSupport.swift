import Foundation
import Testing
import TestSupport
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

/// The classification task of the training tests: 4 Gaussian clusters in 16 dimensions with
/// spread 0.25 (harder than the default 0.15: a one-hidden-layer fp network is at 75–99 % after
/// its first epoch), 800 training and 400 test samples, fixed seed.
let clusterTask: (train: Dataset, test: Dataset) = {
    try! SyntheticData.gaussianClusters(classes: 4, features: 16, trainCount: 800, testCount: 400, spread: 0.25,
                                        seeds: SeedSet(master: 21))
}()

/// A configuration from JSON text (crashes the test on malformed literals).
func configuration(json: String) throws -> TileConfiguration {
    try TileConfiguration.fromJSON(json)
}

/// In-memory SGD on an ideal device: constant steps of 0.001 with no device-to-device or
/// cycle-to-cycle variation, bounds ±1 (the default IO: 7-bit DAC, 9-bit ADC, output noise).
let idealSGDJSON = """
    {"device": {"type": "constant_step", "dw_min": 0.001, "dw_min_dtod": 0, "dw_min_std": 0,
                "up_down_dtod": 0, "w_max_dtod": 0, "w_min_dtod": 0}}
    """

/// The algorithm configurations of `crossbar program` (the authors' recipe: soft-bounds reference
/// devices with the symmetry point subtracted, up_down_dtod 0.1, 100 states (dw_min 0.02), 8-bit
/// IO with output noise 0.04) with a faster A for these small, short training tasks: fast_lr 1
/// and pulse trains of up to 31 for every algorithm (the recipe's c-TTv2 and AGAD use fast_lr 0.1
/// and 5, which needs more than the tests' 3 epochs of 800 samples).
func algorithmConfiguration(_ algorithm: AlgorithmName, states: Float = 100) -> TileConfiguration {
    var task = ProgrammingTask()
    task.algorithm = algorithm
    task.nStates = states
    task.options.fastLR = 1
    task.options.desiredBL = 31
    return task.tileConfiguration()
}

/// A preset with its compound's chopper probability changed (so that choppers flip and AGAD
/// leaves its warm-up within a few hundred samples of a small layer).
func preset(_ name: String, inChopProb: Float? = nil) throws -> TileConfiguration {
    var c = try ConfigurationPresets.configuration(name)
    if let p = inChopProb, case var .compound(compound) = c.device {
        compound.inChopProb = p
        c.device = .compound(compound)
    }
    return c
}

/// A session training a `16-hidden-4` (hidden 32 by default) sigmoid network on ``clusterTask`` (or `data`).
func clusterSession(_ config: TileConfiguration, seed: UInt64, epochs: Int, lr: Float = 0.3, hidden: Int = 32,
                    data: (train: Dataset, test: Dataset)? = nil, batchSize: Int = 10) throws -> TrainingSession {
    let (train, test) = data ?? clusterTask
    let seeds = SeedSet(master: seed)
    let net = try Models.fullyConnected(input: train.shape, hidden: [hidden], classes: train.classCount, configuration: config, seeds: seeds)
    return try TrainingSession(modelName: "mlp-\(hidden)", network: net, configuration: config, train: train, test: test,
                               options: TrainingOptions(epochs: epochs, batchSize: batchSize, schedule: .constant(lr)), seeds: seeds)
}

/// Every entry of two archives except `meta.history` (which holds wall-clock times), as
/// (key, equal?) — the complete state of two runs compared byte for byte.
func stateDifferences(_ a: StateArchive, _ b: StateArchive) -> [String] {
    let keys = Set(a.entries.keys).union(b.entries.keys).subtracting(["meta.history"])
    return keys.sorted().filter { a.entries[$0] != b.entries[$0] }
}

/// The message of the error `body` throws ("" if it does not throw).
func errorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
        return ""
    } catch {
        return "\(error)"
    }
}

/// A fresh folder under the temporary directory, removed by `cleanup()`.
struct TemporaryFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("training-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes an MNIST-format folder (gzip-compressed IDX files) of 8×8 images: 10 Gaussian clusters
/// in 64 dimensions (pixel = clamp(value, 0, 1)·255), `train` + `test` samples.
func writeSyntheticMNIST(to folder: String, train: Int, test: Int) throws {
    let (tr, te) = try SyntheticData.gaussianClusters(classes: 10, features: 64, trainCount: train, testCount: test,
                                                       spread: 0.2, seeds: SeedSet(master: 5))
    for (prefix, d) in [("train", tr), ("t10k", te)] {
        let pixels = d.images.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        try IDX.write(IDXArray(dimensions: [d.count, 8, 8], bytes: pixels), to: "\(folder)/\(prefix)-images-idx3-ubyte.gz", compressed: true)
        try IDX.write(IDXArray(dimensions: [d.count], bytes: d.labels.map { UInt8($0) }), to: "\(folder)/\(prefix)-labels-idx1-ubyte.gz",
                      compressed: true)
    }
}

/// The `crossbar` executable built next to the tests (nil if there is none).
func crossbarExecutable() -> String? { CrossbarExecutable.path }

/// Runs a process to completion; returns (status, stdout, stderr).
@discardableResult
func runCrossbar(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let r = try CrossbarExecutable.run(arguments, executable: URL(fileURLWithPath: executable))
    return (r.status, r.stdout, r.stderr)
}
