import Foundation

/// Why a value of a parsed document could not be decoded: the full key path from the document's
/// root, the value as it appears in the document and the form that was expected.
enum JSONValueDecodingFailure: Error {
    case invalid(path: [CodingKey], value: String, allowed: String)
    case missingKey(path: [CodingKey])

    /// The key path as written by users: `device.dw_min`, `axes[1].values[0]`.
    static func render(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let i = key.intValue, key is JSONIndexKey {
                text += "[\(i)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}

/// The coding key of an array element.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// Decodes `Decodable` types from a parsed ``JSONValue`` — the one path by which every JSON
/// document the toolkit reads (configurations, device files, tasks, sweep files, results) becomes
/// a Swift value, after ``JSONValue/parse(_:what:)-(Data,_)`` has checked the syntax and refused
/// duplicate keys.
///
/// Errors name the field's full path, the value as written and the allowed form, and numbers
/// are range-checked for the Swift type they land in: a `Float` field refuses values beyond
/// ±3.4028235e38 and non-zero values that round to 0, an integer field refuses fractions,
/// values outside the type and values beyond ±2⁵³ (not exact in a JSON number).
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    func failure(_ allowed: String) -> JSONValueDecodingFailure {
        .invalid(path: codingPath, value: Self.describe(value), allowed: allowed)
    }

    /// The value as a user would recognise it in their file.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case let .string(s): return "\"\(s)\""
        case .array: return "an array"
        case .object: return "an object"
        default: return value.canonicalText
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(object) = value else { throw failure("an object") }
        return KeyedDecodingContainer(JSONKeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case let .array(array) = value else { throw failure("an array") }
        return JSONUnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    /// Decodes any `Decodable` at this position (a ``JSONValue`` is handed over as is).
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let v = value as? T, T.self == JSONValue.self { return v }
        return try T(from: self)
    }

    // MARK: Primitives

    func decodeBool() throws -> Bool {
        guard case let .bool(b) = value else { throw failure("true or false") }
        return b
    }

    func decodeString() throws -> String {
        guard case let .string(s) = value else { throw failure("a string") }
        return s
    }

    /// A number; the strings `"nan"`, `"inf"` and `"-inf"` stand for the non-finite values
    /// (the convention ``JSONCoding`` writes them with).
    func decodeDouble() throws -> Double {
        switch value {
        case let .number(d): return d
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: throw failure("a number")
        }
    }

    func decodeFloat() throws -> Float {
        let d = try decodeDouble()
        let f = Float(d)
        if d.isFinite && !f.isFinite {
            throw failure("a number with |x| ≤ 3.4028235e38 (the range of a 32-bit float)")
        }
        if d != 0 && f == 0 {
            throw failure("0 or a number with |x| ≥ 1.4e-45 (smaller values round to 0 in a 32-bit float)")
        }
        return f
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let exact: Int64 = 9_007_199_254_740_992 // 2^53: larger JSON numbers are not exact
        let range = T.isSigned && T.bitWidth >= 64 ? "an integer with |x| ≤ \(exact)"
            : "an integer in \(T.min)…\(T.bitWidth >= 64 ? exact : Int64(T.max))"
        guard case let .number(d) = value else { throw failure(range) }
        guard d.isFinite, d.rounded(.towardZero) == d, abs(d) <= 9_007_199_254_740_992,
              d >= Double(T.min), d <= Double(T.max), let v = T(exactly: d) else { throw failure(range) }
        return v
    }
}

extension JSONValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decodeBool() }
    func decode(_ type: String.Type) throws -> String { try decodeString() }
    func decode(_ type: Double.Type) throws -> Double { try decodeDouble() }
    func decode(_ type: Float.Type) throws -> Float { try decodeFloat() }
    func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

/// The members of a JSON object.
struct JSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let codingPath: [CodingKey]

    var allKeys: [Key] { object.keys.sorted(by: JSONValue.keyOrder).compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func member(_ key: Key) throws -> JSONValueDecoder {
        guard let v = object[key.stringValue] else { throw JSONValueDecodingFailure.missingKey(path: codingPath + [key]) }
        return JSONValueDecoder(v, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).value.isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(key).decodeBool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(key).decodeString() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(key).decodeDouble() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(key).decodeFloat() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(key).decodeInteger(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try member(key).decodeInteger(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try member(key).decodeInteger(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try member(key).decodeInteger(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try member(key).decodeInteger(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try member(key).decodeInteger(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try member(key).decodeInteger(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try member(key).decodeInteger(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try member(key).decodeInteger(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try member(key).decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decodeValue(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try member(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder { JSONValueDecoder(.object(object), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> Decoder { try member(key) }
}

/// The elements of a JSON array, in order.
struct JSONUnkeyedContainer: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(array: [JSONValue], codingPath: [CodingKey]) {
        self.array = array
        self.codingPath = codingPath
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    mutating func next() throws -> JSONValueDecoder {
        let key = JSONIndexKey(currentIndex)
        guard !isAtEnd else { throw JSONValueDecodingFailure.missingKey(path: codingPath + [key]) }
        defer { currentIndex += 1 }
        return JSONValueDecoder(array[currentIndex], codingPath: codingPath + [key])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, array[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decodeBool() }
    mutating func decode(_ type: String.Type) throws -> String { try next().decodeString() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decodeDouble() }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decodeFloat() }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decodeInteger(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decodeInteger(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decodeInteger(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decodeInteger(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decodeInteger(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

extension JSONValue {
    /// The value as a user would recognise it in their file, for error messages: strings quoted,
    /// numbers and literals as JSON, arrays and objects by kind.
    package var userDescription: String { JSONValueDecoder.describe(self) }
}
