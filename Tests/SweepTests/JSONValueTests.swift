import Foundation
import Testing
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

@Suite struct JSONValueTests {
    @Test func canonicalTextSortsKeysAndFormatsNumbersCompactly() throws {
        let v = try JSONValue.parse(#"{"b": [1.0, -0.0, 0.1, 1e-5, 2.5e22, 123456789012], "a": {"z": null, "y": true}, "é": "x"}"#)
        #expect(v.canonicalText == #"{"a":{"y":true,"z":null},"b":[1,0,0.1,1e-05,2.5e+22,123456789012],"é":"x"}"#)
        // Equal values ⇒ identical bytes, whatever the input order and spelling.
        let w = try JSONValue.parse(#"{"é":"x","a":{"z":null,"y":true},"b":[1,0,1e-1,0.00001,25e21,123456789012.0]}"#)
        #expect(w.canonicalText == v.canonicalText)
        #expect(w == v)
    }

    @Test func canonicalTextRoundTrips() throws {
        let v: JSONValue = ["s": "quote \" backslash \\ newline \n tab \t bell \u{07} ☃ 𝄞", "n": [0.1, -3, 1e300, .number(Double.leastNonzeroMagnitude)], "o": [:], "a": []]
        let text = v.canonicalText
        #expect(text.contains(#"\u0007"#))
        #expect(try JSONValue.parse(text) == v)
        #expect(try JSONValue.parse(v.prettyText) == v)
    }

    @Test func nonFiniteNumbersBecomeStrings() {
        #expect(JSONValue.number(.nan).canonicalText == #""nan""#)
        #expect(JSONValue.number(-.infinity).canonicalText == #""-inf""#)
        #expect(JSONValue.numberText(3) == "3")
        #expect(JSONValue.numberText(-0.0) == "0")
        #expect(JSONValue.numberText(0.30000000000000004) == "0.30000000000000004")
    }

    @Test func parserRejectsMalformedJSONWithPosition() {
        let cases = [
            #"{"a": 1,}"#, #"[1 2]"#, #"{"a" 1}"#, "01", "1.", "-", #""unterminated"#, #"{"a":1} x"#, "tru", #""\x""#, "\"a\u{01}\"",
            #""\ud800""#,
        ]
        for c in cases {
            #expect(throws: CrossbarError.self, "accepted \(c)") { try JSONValue.parse(c) }
        }
        let message = errorText { _ = try JSONValue.parse("{\n  \"a\": 1,\n  \"a\": 2\n}", what: "spec.json") }
        #expect(message?.contains("spec.json") == true)
        #expect(message?.contains("duplicate key 'a'") == true)
        #expect(message?.contains("line 3") == true)
    }

    @Test func parserHandlesEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""\u00e9\ud834\udd1e\n\/""#) == .string("é𝄞\n/"))
        #expect(try JSONValue.parse(" [ true , false , null ] ") == [true, false, nil])
    }

    @Test func codableAgreesWithTheParser() throws {
        let text = #"{"a":[1,true,"nan",null,{"b":2.5}]}"#
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded == (try JSONValue.parse(text)))
        // A string "nan" stays a string (strings are tried before numbers).
        #expect(decoded["a"]?[2] == .string("nan"))
        #expect(decoded["a"]?[1] == .bool(true))
        let encoded = try JSONEncoder().encode(decoded)
        #expect(try JSONValue.parse(encoded) == decoded)
    }

    @Test func accessors() {
        let v: JSONValue = ["i": 3, "f": 2.5, "s": "x", "b": false, "big": 1e300]
        #expect(v["i"]?.intValue == 3)
        #expect(v["f"]?.intValue == nil)
        #expect(v["big"]?.intValue == nil)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["b"]?.boolValue == false)
        #expect(v["missing"] == nil)
        #expect(v.sortedKeys == ["b", "big", "f", "i", "s"])
        #expect(v[0] == nil)
    }

    @Test func pathsParseAndPrint() throws {
        for text in ["algorithm", "device.reference_std", "devices[0].dw_min", "layers[2][1]", "a.b_c.d-e"] {
            #expect(try JSONPath(text).description == text)
        }
        #expect(try JSONPath("devices[10].dw_min").components == [.key("devices"), .index(10), .key("dw_min")])
        for bad in ["", ".a", "a.", "a..b", "[0]", "a[", "a[x]", "a[-1]", "a]", "a.[0]", "a[0]b"] {
            #expect(throws: CrossbarError.self, "accepted '\(bad)'") { try JSONPath(bad) }
        }
        let message = errorText { _ = try JSONPath("a..b", field: "axes[3].path") }
        #expect(message?.contains("axes[3].path") == true)
        #expect(try JSONPath("device").isPrefix(of: JSONPath("device.dw_min")))
        #expect(try !JSONPath("dev").isPrefix(of: JSONPath("device")))
    }

    @Test func pathGetAndSet() throws {
        var doc: JSONValue = ["device": ["dw_min": 0.001], "devices": [["a": 1], ["a": 2]], "name": "x"]
        #expect(doc.value(at: try JSONPath("device.dw_min")) == 0.001)
        #expect(doc.value(at: try JSONPath("devices[1].a")) == 2)
        #expect(doc.value(at: try JSONPath("devices[2].a")) == nil)
        try doc.set(0.5, at: JSONPath("device.reference_std")) // creates a member
        try doc.set(7, at: JSONPath("devices[0].a"))
        try doc.set(["x": 1], at: JSONPath("new.nested.object"))  // creates intermediate objects
        #expect(doc.value(at: try JSONPath("device.reference_std")) == 0.5)
        #expect(doc.value(at: try JSONPath("device.dw_min")) == 0.001)
        #expect(doc.value(at: try JSONPath("devices[0].a")) == 7)
        #expect(doc.value(at: try JSONPath("new.nested.object.x")) == 1)
        // Stepping into a string, indexing an object, or past the end of an array: errors naming the path.
        let intoString = errorText { try doc.set(1, at: JSONPath("name.first")) }
        #expect(intoString?.contains("'name.first'") == true && intoString?.contains("'name' is a string") == true)
        #expect(throws: CrossbarError.self) { try doc.set(1, at: JSONPath("device[0]")) }
        let pastEnd = errorText { try doc.set(1, at: JSONPath("devices[5].a")) }
        #expect(pastEnd?.contains("devices[5]") == true)
        // `setting` leaves the original alone.
        let copy = try doc.setting("changed", at: JSONPath("name"))
        #expect(copy["name"] == "changed" && doc["name"] == "x")
    }

    @Test func decodeConfigRecordsFromValues() throws {
        let doc: JSONValue = ["task": "synthetic", "noise": 0.3]
        let p = try doc.decode(SyntheticTaskParameters.self)
        #expect(p.noise == 0.3)
        #expect(p.steps == 200)
        let back = try JSONValue(encoding: p)
        #expect(back["learning_rate"] == 0.05)
    }
}

@Suite struct SHA256Tests {
    /// FIPS 180-2 test vectors (one block, empty, two blocks) and a million 'a's.
    @Test func knownVectors() {
        #expect(ContentDigest.sha256Hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentDigest.sha256Hex("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentDigest.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(ContentDigest.sha256Hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // 55 and 56 bytes straddle the padding boundary.
        #expect(ContentDigest.sha256Hex([UInt8](repeating: 0x61, count: 55)) != ContentDigest.sha256Hex([UInt8](repeating: 0x61, count: 56)))
    }
}

@Suite struct AtomicFileTests {
    @Test func writesAndReplacesWithoutLeavingTemporaryFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("out.txt")
        try AtomicFile.write("first", to: path)
        try AtomicFile.write(Data("second".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
    }

    @Test func failureLeavesTheOldFileAndNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        // The destination is a non-empty directory: rename fails; nothing else may change.
        try FileManager.default.createDirectory(atPath: dir.file("target/inner"), withIntermediateDirectories: true)
        let message = errorText { try AtomicFile.write("x", to: dir.file("target")) }
        #expect(message?.contains(dir.file("target")) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["target"])
        let missing = errorText { try AtomicFile.write("x", to: dir.file("no/such/dir/f")) }
        #expect(missing?.contains("does not exist") == true)
    }
}
