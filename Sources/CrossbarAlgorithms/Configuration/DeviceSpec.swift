import CrossbarFoundation
import CrossbarDevices

/// What sits under a tile: one device model (in-memory SGD, or floating point), or a
/// training-algorithm compound of several arrays. JSON: an object with `"type"`.
public enum DeviceSpec: Sendable, Equatable, Codable {
    case single(DeviceConfig)
    case compound(CompoundConfig)

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let names = "one of " + (DeviceModel.allCases.map(\.rawValue) + CompoundKind.allCases.map(\.rawValue)).joined(separator: ", ")
        guard c.contains(AnyCodingKey("type")) else {
            throw CrossbarError.invalidParameter(field: "type", value: "missing", allowed: names)
        }
        guard let type = try? c.decode(String.self, forKey: AnyCodingKey("type")) else {
            let given = (try? c.decode(JSONValue.self, forKey: AnyCodingKey("type"))).map(\.userDescription) ?? "a value of another type"
            throw CrossbarError.invalidParameter(field: "type", value: given, allowed: names)
        }
        let norm = { (t: String) in t.lowercased().replacingOccurrences(of: "_", with: "") }
        if CompoundKind.allCases.contains(where: { norm($0.rawValue) == norm(type) }) {
            self = .compound(try CompoundConfig(from: decoder))
        } else if DeviceModel.allCases.contains(where: { norm($0.rawValue) == norm(type) }) {
            self = .single(try DeviceConfig(from: decoder))
        } else {
            throw CrossbarError.invalidParameter(field: "type", value: "'\(type)'", allowed: names)
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .single(d): try d.encode(to: encoder)
        case let .compound(c): try c.encode(to: encoder)
        }
    }

    /// The weight granularity ε of the spec (docs/devices.md, "Weight granularity").
    public var granularity: Float {
        switch self {
        case let .single(d): d.granularity
        case let .compound(c): c.granularityOfCompound
        }
    }
}
