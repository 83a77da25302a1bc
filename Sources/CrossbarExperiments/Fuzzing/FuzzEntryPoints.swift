import Foundation
import CrossbarFoundation
import CrossbarData
import CrossbarDevices
import CrossbarTile
import CrossbarAlgorithms
import CrossbarNetwork
import CrossbarTraining
import CrossbarSweep

/// The readers of untrusted files, each as one function from the file's bytes: the entry
/// points of the libFuzzer targets in `Fuzz/` (scripts/fuzz.sh) and of the test that replays
/// the kept fuzz inputs (docs/reliability.md, section Fuzzing).
///
/// Every function reads `data` the way the command-line tool reads such a file and either
/// returns or throws; for any input, the only acceptable error is a ``CrossbarError`` (never a
/// trap, a huge allocation or a hang). Inputs are at most a few hundred kilobytes.
public enum FuzzEntryPoints {
    /// The names of the targets, as used by scripts/fuzz.sh and the fixture folders.
    public static let targets = ["json", "sweep", "results", "idx", "checkpoint"]

    /// Runs the entry point of target `name` (one of ``targets``) on `data`.
    public static func run(_ name: String, _ data: Data) throws {
        switch name {
        case "json": try json(data)
        case "sweep": try sweep(data)
        case "results": try results(data)
        case "idx": try idx(data)
        case "checkpoint": try checkpoint(data)
        default: throw CrossbarError.unknownName(kind: "fuzz target", name: name, known: targets)
        }
    }

    /// JSON documents: parsed by ``JSONValue``, then decoded as each document type the tool
    /// reads (tile configuration, device, IO parameters, training task, toy experiment,
    /// programming task). A configuration that decodes is built into a 2-2 network (one
    /// tile), and a programming task's configuration too, so that validation runs as it
    /// would before training.
    public static func json(_ data: Data) throws {
        let value = try JSONValue.parse(data, what: "fuzz input")
        var firstError: Error?
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch { if firstError == nil { firstError = error } }
        }
        attempt {
            let c = try JSONCoding.decode(TileConfiguration.self, from: value)
            _ = try Models.fullyConnected(input: TensorShape(features: 2), hidden: [], classes: 2, configuration: c,
                                          seeds: SeedSet(master: 1))
        }
        attempt { _ = try JSONCoding.decode(DeviceConfig.self, from: value, what: "device") }
        attempt { _ = try JSONCoding.decode(IOParameters.self, from: value, what: "IO parameters") }
        attempt { _ = try JSONCoding.decode(TrainingTask.self, from: value, what: "training task") }
        attempt { _ = try JSONCoding.decode(ToyExperiment.self, from: value, what: "toy") }
        attempt {
            let task = try JSONCoding.decode(ProgrammingTask.self, from: value, what: "task")
            _ = try Models.fullyConnected(input: TensorShape(features: 2), hidden: [], classes: 2,
                                          configuration: task.tileConfiguration(), seeds: SeedSet(master: 1))
        }
        if let firstError { throw firstError }
    }

    /// Sweep files: parsed and decoded like `crossbar sweep run` (``SweepSpec``), planned with
    /// the standard task registry and every point of the plan listed.
    public static func sweep(_ data: Data) throws {
        let json = try JSONValue.parse(data, what: "sweep file")
        let spec = try json.decode(SweepSpec.self, what: "sweep file")
        let plan = try SweepPlan(spec: spec, registry: .standard)
        _ = plan.points(in: .all).count
    }

    /// Results files: sweep results (JSON lines of ``SweepRecord``) and training metrics logs
    /// (JSON lines of ``EpochRecord``).
    public static func results(_ data: Data) throws {
        _ = MetricsLog.records(in: data)
        _ = try SweepResultsFile.parse(data, path: "fuzz.jsonl")
    }

    /// IDX files, plain or gzip-compressed (``IDX/decode(_:path:)``).
    public static func idx(_ data: Data) throws {
        _ = try IDX.decode([UInt8](data), path: "fuzz-idx3-ubyte")
    }

    /// Checkpoints: decoded as a ``StateArchive`` and restored into the small session of
    /// ``checkpointSession()``. The bytes are tried twice: as given, and (when they start
    /// with the archive's magic number) with the payload length and checksum rewritten to
    /// match, so that mutations reach the entries instead of stopping at the checksum.
    public static func checkpoint(_ data: Data) throws {
        var firstError: Error?
        for candidate in [data, StateArchive.withValidFraming(data)].compactMap({ $0 }) {
            do {
                let archive = try StateArchive(decoding: candidate, path: "fuzz.ckpt")
                try checkpointSession().restore(from: archive, source: "fuzz.ckpt")
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    /// A small training session (ReRamSB preset, 4-3-2 network on 20 samples of Gaussian
    /// clusters, seed 1) whose checkpoints ``checkpoint(_:)`` can restore.
    public static func checkpointSession() throws -> TrainingSession {
        let seeds = SeedSet(master: 1)
        let data = try SyntheticData.gaussianClusters(classes: 2, features: 4, trainCount: 20, testCount: 10, seeds: seeds)
        let configuration = try ConfigurationPresets.configuration("ReRamSB")
        let network = try Models.fullyConnected(input: data.train.shape, hidden: [3], classes: 2, configuration: configuration, seeds: seeds)
        return try TrainingSession(modelName: "fuzz-4-3-2", network: network, configuration: configuration, configurationName: "ReRamSB",
                                   train: data.train, test: data.test,
                                   options: TrainingOptions(epochs: 2, batchSize: 5, schedule: .constant(0.1)), seeds: seeds)
    }

    /// A checkpoint of ``checkpointSession()`` after one epoch: the seed of the checkpoint
    /// target's corpus.
    public static func checkpointSeed() throws -> Data {
        let session = try checkpointSession()
        _ = try session.trainEpoch()
        return session.checkpoint().encoded()
    }
}
