import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation

/// Every JSON document goes through one parser and one decoder: syntax errors give line and
/// column, duplicate keys are refused, and a value that does not fit its field names the
/// field's full path, the value as written and the allowed form.
@Suite struct DocumentDecodingTests {
    func message(_ json: String, as type: (some Decodable).Type = TileConfiguration.self) -> String {
        do {
            _ = try JSONCoding.decode(type, from: Data(json.utf8), what: "configuration c.json")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    /// (document, fragments the message must contain)
    static let cases: [(String, [String])] = [
        (#"{"device": {"type": "soft_bounds", "dw_min": 0.002, "dw_min": -5}}"#, ["duplicate key 'dw_min'", "line 1"]),
        (#"{"device": {"type": "soft_bounds", "dw_min": 1e39}}"#, ["'device.dw_min'", "1e+39", "3.4028235e38"]),
        (#"{"device": {"type": "soft_bounds", "dw_min": -1e300}}"#, ["'device.dw_min'", "-1e+300", "3.4028235e38"]),
        (#"{"device": {"type": "soft_bounds", "dw_min": 1e-50}}"#, ["'device.dw_min'", "1e-50", "round to 0"]),
        (#"{"device": {"type": "soft_bounds", "dw_min": 1e400}}"#, ["1e400", "64-bit float", "column"]),
        (#"{"update": {"desired_bl": 3.5}}"#, ["'update.desired_bl'", "3.5", "an integer"]),
        (#"{"device": {"type": "soft_bounds", "construction_seed": -5}}"#, ["'device.construction_seed'", "-5", "an integer in 0…"]),
        (#"{"device": {"type": "soft_bounds", "construction_seed": 1180591620717411303424}}"#, ["'device.construction_seed'", "1.18", "an integer in 0…"]),
        ("null", ["the document is null", "expected an object"]),
        ("[]", ["the document is an array", "expected an object"]),
        (#""hello""#, [#"the document is "hello""#, "expected an object"]),
        (#"{"device": [1, 2]}"#, ["'device'", "an array", "an object"]),
        (#"{"device": {"type": 3}}"#, ["'device.type'", ": 3", "soft_bounds"]),
        (#"{"update": {"pulse_type": [1]}}"#, ["'update.pulse_type'", "an array", "stochastic_compressed"]),
        (#"{"forward": {"inp_res": "fine"}}"#, ["'forward.inp_res'", #""fine""#, "a number"]),
        (#"{"forward": {"is_perfect": 1}}"#, ["'forward.is_perfect'", "1", "true or false"]),
    ]

    @Test(arguments: cases)
    func badDocumentIsNamed(document: String, fragments: [String]) {
        let text = message(document)
        for f in fragments { #expect(text.contains(f), "\(document): \(text)") }
        #expect(!text.contains("DecodingError") && !text.contains("Dictionary<"), "Swift internals leak: \(text)")
    }

    /// The decoder reads what the records write: an encoded configuration decodes to itself.
    @Test func roundTripOfAPreset() throws {
        let preset = try ConfigurationPresets.configuration("AGADReRamSB")
        let back = try JSONCoding.decode(TileConfiguration.self, from: Data(preset.toJSON().utf8))
        #expect(back == preset)
    }

    /// Paths into arrays name the index; missing required keys are named.
    @Test func arrayPathsAndMissingKeys() throws {
        struct Item: Decodable { var n: Int }
        struct Doc: Decodable { var items: [Item] }
        let bad = message(#"{"items": [{"n": 1}, {"n": 2.5}]}"#, as: Doc.self)
        #expect(bad.contains("'items[1].n'") && bad.contains("2.5"), "\(bad)")
        let missing = message(#"{"items": [{"m": 1}]}"#, as: Doc.self)
        #expect(missing.contains("missing required key 'items[0].n'"), "\(missing)")
        let ok = try JSONCoding.decode(Doc.self, from: Data(#"{"items": [{"n": 3}]}"#.utf8))
        #expect(ok.items.map(\.n) == [3])
    }

    /// Float fields take the full range: the largest finite Float and the smallest subnormal.
    @Test func floatRangeEdgesAreAccepted() throws {
        struct F: Decodable { var x: Float }
        #expect(try JSONCoding.decode(F.self, from: Data(#"{"x": 3.4028234e38}"#.utf8)).x == .greatestFiniteMagnitude)
        #expect(try JSONCoding.decode(F.self, from: Data(#"{"x": 1.5e-45}"#.utf8)).x == .leastNonzeroMagnitude)
        #expect(try JSONCoding.decode(F.self, from: Data(#"{"x": "nan"}"#.utf8)).x.isNaN)
    }
}
