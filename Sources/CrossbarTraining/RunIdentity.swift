import CrossbarFoundation
import CrossbarData
import CrossbarAlgorithms
import CrossbarNetwork

/// Everything that must be the same for a checkpoint to continue a run bit-identically: the
/// toolkit version, the model (name and layer structure), the full resolved configuration, the
/// seed, the batch sizes, the learning-rate schedule and the training and test data (name,
/// size, shape and a content digest).
///
/// Not part of it (may change on resume): the number of epochs (a run can be extended), the
/// thread count (results do not depend on it), output paths and the checkpoint interval.
///
/// The identity is a JSON object; its canonical text is stored in every checkpoint and its
/// SHA-256 is the run's ``fingerprint``. A mismatch is reported field by field (dotted JSON
/// paths such as `configuration.device.dw_min`).
public struct RunIdentity: Sendable, Equatable {
    /// The identity document (a JSON object).
    public let document: JSONValue

    /// Format of the identity document (bumped when its fields change).
    public static let format = 1

    public init(document: JSONValue) { self.document = document }

    /// The identity of a run of `network` (named `model`) with `configuration`.
    public init(model: String, network: Sequential, configuration: TileConfiguration, seeds: SeedSet,
                options: TrainingOptions, train: Dataset, test: Dataset?) throws {
        let config = try JSONValue.parse(configuration.toJSON(), what: "configuration")
        let schedule = try JSONValue.parse(options.schedule.toJSON(), what: "schedule")
        func data(_ d: Dataset) -> JSONValue {
            ["name": .string(d.name), "count": .number(Double(d.count)), "shape": .string(d.shape.description),
             "classes": .number(Double(d.classCount)), "digest": .string(d.digest)]
        }
        document = [
            "format": .number(Double(Self.format)),
            "version": .string(CrossbarVersion.current),
            "model": .string(model),
            "network": .string(network.description),
            "configuration": config,
            // A string: seeds use all 64 bits, JSON numbers only 53.
            "seed": .string(String(seeds.master)),
            "batch_size": .number(Double(options.batchSize)),
            "evaluation_batch_size": .number(Double(options.evaluationBatchSize)),
            "schedule": schedule,
            "train_data": data(train),
            "test_data": test.map(data) ?? .null,
        ]
    }

    /// The canonical text (compact, sorted keys): what checkpoints store.
    public var canonicalText: String { document.canonicalText }

    /// SHA-256 of the canonical text, 64 hex digits.
    public var fingerprint: String { ContentDigest.sha256Hex(canonicalText.utf8) }

    /// The first `limit` differences between `self` (the checkpoint's identity) and `other`
    /// (this run's), as "path: value in the checkpoint vs value in this run".
    public func differences(from other: RunIdentity, limit: Int = 5) -> [String] {
        var out: [String] = []
        Self.diff(document, other.document, path: "", into: &out, limit: limit)
        return out
    }

    private static func diff(_ a: JSONValue, _ b: JSONValue, path: String, into out: inout [String], limit: Int) {
        guard out.count < limit, a != b else { return }
        if case let .object(x) = a, case let .object(y) = b {
            for key in Set(x.keys).union(y.keys).sorted(by: JSONValue.keyOrder) {
                let sub = path.isEmpty ? key : "\(path).\(key)"
                diff(x[key] ?? .null, y[key] ?? .null, path: sub, into: &out, limit: limit)
            }
            return
        }
        if case let .array(x) = a, case let .array(y) = b, x.count == y.count {
            for i in x.indices { diff(x[i], y[i], path: "\(path)[\(i)]", into: &out, limit: limit) }
            return
        }
        out.append("\(path): \(short(a)) in the checkpoint, \(short(b)) in this run")
    }

    private static func short(_ v: JSONValue) -> String {
        let text = v.canonicalText
        return text.count <= 120 ? text : String(text.prefix(117)) + "…"
    }
}
