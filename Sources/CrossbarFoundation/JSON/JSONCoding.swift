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

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String = "configuration") throws -> T {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try d.decode(type, from: data)
        } catch let error as CrossbarError {
            throw error
        } catch let DecodingError.dataCorrupted(ctx) {
            let underlying = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw CrossbarError.message("\(what): not valid JSON (\(underlying ?? ctx.debugDescription))")
        } catch let DecodingError.typeMismatch(type, ctx) {
            throw CrossbarError.message("\(what): wrong type at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))' (expected \(type))")
        } catch let DecodingError.keyNotFound(key, ctx) {
            let path = (ctx.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw CrossbarError.message("\(what): missing required key '\(path)'")
        } catch {
            throw CrossbarError.message("\(what): \(error)")
        }
    }
}
