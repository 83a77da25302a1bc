import Foundation

/// A JSON coding key that accepts any string (used to find unknown keys).
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(_ s: String) { stringValue = s }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { stringValue = String(intValue) }
}

/// One JSON field of a configuration record: its snake_case name and how to read and write it.
public struct ConfigField<Root>: Sendable {
    public let name: String
    /// The documented valid range of a numeric field (nil: any value of the type, or checked
    /// by the record's own validation).
    public let range: ParameterRange?
    package let decode: @Sendable (inout Root, KeyedDecodingContainer<AnyCodingKey>) throws -> Void
    package let encode: @Sendable (Root, inout KeyedEncodingContainer<AnyCodingKey>) throws -> Void
    /// The field's value(s) as Floats, for the range check (nil without a range).
    package let numbers: (@Sendable (Root) -> [Float])?

    /// A Float field with a documented valid range (checked by ``checkRange(of:)``).
    public init(_ name: String, _ keyPath: WritableKeyPath<Root, Float> & Sendable, range: ParameterRange) {
        self.init(name, keyPath)
        self = ConfigField(copying: self, range: range) { [keyPath] root in [root[keyPath: keyPath]] }
    }

    /// A Float-array field whose every element has the documented valid range.
    public init(_ name: String, _ keyPath: WritableKeyPath<Root, [Float]> & Sendable, elementRange range: ParameterRange) {
        self.init(name, keyPath)
        self = ConfigField(copying: self, range: range) { [keyPath] root in root[keyPath: keyPath] }
    }

    private init(copying f: ConfigField, range: ParameterRange, numbers: @escaping @Sendable (Root) -> [Float]) {
        name = f.name
        decode = f.decode
        encode = f.encode
        self.range = range
        self.numbers = numbers
    }

    /// Throws ``CrossbarError/invalidParameter(field:value:allowed:)`` when the field's value (or
    /// an element of it) is outside ``range``.
    public func checkRange(of root: Root) throws {
        guard let range, let numbers else { return }
        let values = numbers(root)
        if values.count == 1 {
            try range.check(values[0], name)
        } else {
            for (k, v) in values.enumerated() { try range.check(v, "\(name)[\(k)]") }
        }
    }

    /// A field stored at `keyPath`; missing in JSON ⇒ the record's default stays.
    public init<Value: Codable & Sendable>(_ name: String, _ keyPath: WritableKeyPath<Root, Value> & Sendable) {
        self.name = name
        range = nil
        numbers = nil
        decode = { root, c in
            let key = AnyCodingKey(name)
            if c.contains(key) {
                do {
                    root[keyPath: keyPath] = try c.decode(Value.self, forKey: key)
                } catch let error as CrossbarError {
                    throw error.prefixed(by: name)
                } catch let DecodingError.typeMismatch(type, _) {
                    throw CrossbarError.invalidParameter(field: name, value: describeJSONValue(in: c, forKey: key),
                                                         allowed: describeExpectedType(type))
                } catch let DecodingError.valueNotFound(type, _) {
                    throw CrossbarError.invalidParameter(field: name, value: "null", allowed: "\(type)")
                } catch let DecodingError.dataCorrupted(ctx) {
                    throw CrossbarError.invalidParameter(field: name, value: "unreadable", allowed: ctx.debugDescription)
                }
            }
        }
        encode = { root, c in try c.encode(root[keyPath: keyPath], forKey: AnyCodingKey(name)) }
    }
}

/// The JSON value at `key`, as a user would recognise it in their file (for error messages).
func describeJSONValue(in c: KeyedDecodingContainer<AnyCodingKey>, forKey key: AnyCodingKey) -> String {
    if let s = try? c.decode(String.self, forKey: key) { return "\"\(s)\"" }
    if let b = try? c.decode(Bool.self, forKey: key) { return "\(b)" }
    if let d = try? c.decode(Double.self, forKey: key) {
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }
    if (try? c.nestedUnkeyedContainer(forKey: key)) != nil { return "an array" }
    if (try? c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)) != nil { return "an object" }
    return "a value of the wrong type"
}

/// What a JSON value of Swift type `type` looks like (for error messages).
func describeExpectedType(_ type: Any.Type) -> String {
    switch type {
    case is Bool.Type: return "true or false"
    case is Float.Type, is Double.Type: return "a number"
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is UInt32.Type, is UInt.Type: return "an integer"
    case is String.Type: return "a string"
    default: return "\(type)"
    }
}

/// A configuration record: a struct with defaults (`init()`), a table of JSON fields with the
/// reference simulator's snake_case names, and a validation step.
///
/// Decoding starts from the defaults, rejects unknown keys (a typo must never be silently
/// ignored), reads the keys present and validates the result. Encoding writes every field, so
/// an encoded record is the full resolved configuration.
public protocol ConfigRecord: Codable, Sendable, Equatable {
    init()
    static var fields: [ConfigField<Self>] { get }
    /// Throws ``CrossbarError/invalidParameter(field:value:allowed:)`` for invalid values
    /// (field names relative to this record).
    func validate() throws
}

extension ConfigRecord {
    public func validate() throws {}

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let fields = Self.fields
        let known = Set(fields.map(\.name))
        for key in c.allKeys where !known.contains(key.stringValue) {
            throw CrossbarError.unknownKey(field: "", key: key.stringValue, allowed: fields.map(\.name))
        }
        for f in fields { try f.decode(&self, c) }
        try validate()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for f in Self.fields { try f.encode(self, &c) }
    }

    /// Decodes a record from JSON text (unknown keys and invalid values throw).
    public static func fromJSON(_ text: String) throws -> Self {
        try JSONCoding.decode(Self.self, from: Data(text.utf8))
    }

    /// The full, resolved JSON of this record (sorted keys, pretty printed).
    public func toJSON() -> String { JSONCoding.encodeString(self) }
}


/// An enumeration stored in JSON as a snake_case string. Decoding also accepts the reference
/// simulator's CamelCase spelling (`StochasticCompressed` for `stochastic_compressed`), so
/// configurations carry over; encoding always writes snake_case.
public protocol ConfigEnum: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {}

extension ConfigEnum {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let names = "one of " + Self.allCases.map(\.rawValue).joined(separator: ", ")
        guard let s = try? c.decode(String.self) else {
            let given = (try? c.decode(JSONValue.self)).map(\.userDescription) ?? "a value of another type"
            throw CrossbarError.invalidParameter(field: "", value: given, allowed: names)
        }
        let norm = { (t: String) in t.lowercased().replacingOccurrences(of: "_", with: "") }
        guard let v = Self.allCases.first(where: { norm($0.rawValue) == norm(s) }) else {
            throw CrossbarError.invalidParameter(field: "", value: "'\(s)'", allowed: names)
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
