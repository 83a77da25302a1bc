import Foundation

/// JSON encoding and decoding with the project's conventions (sorted keys, stable output,
/// decoding errors turned into ``CrossbarError``).
public enum JSONCoding {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    public static func encodeString<T: Encodable>(_ value: T, pretty: Bool = true) -> String {
        // Encoding our own records cannot fail (all values are plain numbers, strings, arrays).
        let data = try! encoder(pretty: pretty).encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a document: parsed by ``JSONValue/parse(_:what:)-(Data,_)`` (syntax errors with
    /// line and column; duplicate keys refused), then decoded by the one ``JSONValue`` decoder.
    /// `what` names the document in messages about the document as a whole.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String = "configuration") throws -> T {
        try decode(type, from: JSONValue.parse(data, what: what), what: what)
    }

    /// Decodes a parsed document. Errors name the field's full path, the value as written and
    /// the allowed form (``CrossbarError/invalidParameter(field:value:allowed:)``); a document
    /// of the wrong kind (`null`, an array where an object belongs, …) is named as such.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String = "configuration") throws -> T {
        do {
            return try JSONValueDecoder(value).decodeValue(type)
        } catch let error as CrossbarError {
            throw error
        } catch let JSONValueDecodingFailure.invalid(path, value, allowed) {
            if path.isEmpty { throw CrossbarError.message("\(what): the document is \(value), expected \(allowed)") }
            throw CrossbarError.invalidParameter(field: JSONValueDecodingFailure.render(path), value: value, allowed: allowed)
        } catch let JSONValueDecodingFailure.missingKey(path) {
            throw CrossbarError.message("\(what): missing required key '\(JSONValueDecodingFailure.render(path))'")
        } catch let DecodingError.dataCorrupted(ctx) {
            // Raised by synthesised Codable code (e.g. an unknown raw value of an enumeration).
            throw CrossbarError.invalidParameter(field: JSONValueDecodingFailure.render(ctx.codingPath),
                                                 value: (try? JSONValue.at(ctx.codingPath, in: value)).map(JSONValueDecoder.describe) ?? "?",
                                                 allowed: ctx.debugDescription)
        } catch {
            throw CrossbarError.message("\(what): \(error)")
        }
    }
}
