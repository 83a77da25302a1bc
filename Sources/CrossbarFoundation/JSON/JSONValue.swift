import Foundation

/// A JSON document held as a value: the untyped counterpart of the configuration records, used
/// where the shape is open (sweep files, run documents, extra task output).
///
/// Numbers are `Double` (integers up to 2⁵³ are exact). The canonical text
/// (``canonicalText``) is compact, sorts object keys by their UTF-8 bytes and writes numbers in
/// the shortest form that reads back to the same `Double` (integers without a fraction), so equal
/// documents have identical bytes — the basis of sweep point ids. Non-finite numbers, which JSON
/// cannot hold, are written as the strings `"nan"`, `"inf"` and `"-inf"` (the convention of
/// ``JSONCoding``).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON type name (`null`, `boolean`, `number`, `string`, `array`, `object`) for messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }
    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }
    public var doubleValue: Double? { if case let .number(d) = self { d } else { nil } }
    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
    public var objectValue: [String: JSONValue]? { if case let .object(o) = self { o } else { nil } }

    /// The number as an `Int` if it is integral and representable, else nil.
    public var intValue: Int? {
        guard case let .number(d) = self, d.isFinite, d.rounded() == d, abs(d) <= 9_007_199_254_740_992 else { return nil }
        return Int(d)
    }

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// Element `index` of an array (nil for other values or an index out of range).
    public subscript(index: Int) -> JSONValue? {
        if case let .array(a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The object's keys in canonical (UTF-8 byte) order; empty for other values.
    public var sortedKeys: [String] {
        guard case let .object(o) = self else { return [] }
        return o.keys.sorted(by: JSONValue.keyOrder)
    }

    /// The canonical key order: lexicographic by UTF-8 bytes (independent of locale and of
    /// Unicode normalisation).
    public static func keyOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A short rendering for messages: strings without quotes, everything else as canonical JSON.
    public var shortDescription: String {
        if case let .string(s) = self { return s }
        return canonicalText
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var o: [String: JSONValue] = [:]
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? c.decode([String: JSONValue].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The canonical text.
    public var description: String { canonicalText }
}

extension JSONValue {
    /// Converts an `Encodable` value (e.g. a configuration record) to a `JSONValue`.
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONCoding.encoder(pretty: false).encode(value)
        self = try JSONValue.parse(data)
    }

    /// Decodes a `Decodable` value (e.g. a configuration record, which rejects unknown keys)
    /// from this document; `what` names the document in error messages.
    public func decode<T: Decodable>(_ type: T.Type, what: String = "configuration") throws -> T {
        try JSONCoding.decode(type, from: self, what: what)
    }

    /// The value at a coding path (object keys and array indices), if present.
    static func at(_ path: [CodingKey], in root: JSONValue) throws -> JSONValue? {
        var v: JSONValue? = root
        for key in path {
            if let i = key.intValue, key is JSONIndexKey { v = v?[i] } else { v = v?[key.stringValue] }
        }
        return v
    }
}
