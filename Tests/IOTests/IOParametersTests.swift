import Foundation
import Testing
import CrossbarKit
import TestSupport

/// Validation and JSON form of IOParameters, and bad input to the tile.
@Suite struct IOParametersTests {
    /// The error `body` throws, as its description (fails the test if nothing is thrown).
    static func errorText(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            try body()
        } catch let error as CrossbarError {
            return error.description
        } catch {
            Issue.record("expected a CrossbarError, got \(error)", sourceLocation: sourceLocation)
            return ""
        }
        Issue.record("expected an error, nothing was thrown", sourceLocation: sourceLocation)
        return ""
    }

    static func expectMentions(_ text: String, _ parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for p in parts {
            #expect(text.contains(p), "error message \"\(text)\" does not mention \"\(p)\"", sourceLocation: sourceLocation)
        }
    }

    @Test func defaultsAreValidAndMatchTheSpec() throws {
        let io = IOParameters()
        try io.validate()
        #expect(!io.isPerfect && io.inpRes == 1.0 / 126.0 && io.outRes == 1.0 / 510.0)
        #expect(io.inpBound == 1 && io.outBound == 12 && io.outNoise == 0.06 && io.inpNoise == 0)
        #expect(io.noiseManagement == .absMax && io.boundManagement == .iterative)
        #expect(io.maxBmFactor == 1000 && io.maxBmRes == 0.25 && io.bmTestNegativeBound)
        #expect(io.wNoiseType == .none && io.wNoise == 0 && io.outScale == 1)
        #expect(io.nmDecay == 1e-3 && io.nmAssumedWmax == 0.6)
        try IOParameters.preset.validate()
        try IOParameters.presetTransfer.validate()
        try IOParameters.standard.validate()
        try IOParameters.perfect.validate()
    }

    /// (field, mutation, value text, allowed-range text) for invalid values.
    static let invalidCases: [(String, @Sendable (inout IOParameters) -> Void, String, String)] = [
        ("inp_noise", { $0.inpNoise = -0.1 }, "-0.1", "[0, 100]"),
        ("out_noise", { $0.outNoise = -0.5 }, "-0.5", "[0, 1000]"),
        ("out_noise", { $0.outNoise = .nan }, "nan", "[0, 1000]"),
        ("out_noise_std", { $0.outNoiseStd = -1 }, "-1", "[0, 10]"),
        ("w_noise", { $0.wNoise = .infinity }, "inf", "[0, 100]"),
        ("inp_bound", { $0.inpBound = 0 }, "0", "(0, 1000]"),
        ("inp_bound", { $0.inpBound = -2; $0.noiseManagement = .none }, "-2", "(0, 1000]"),
        ("inp_bound", { $0.inpBound = 2 }, "2", "noise_management"),
        ("inp_res", { $0.inpRes = .nan }, "nan", "[-1, 16777216]"),
        ("out_res", { $0.outRes = -.infinity }, "-inf", "> 1 steps"),
        ("out_bound", { $0.outBound = .infinity }, "inf", "[-1, 1000000]"),
        ("out_scale", { $0.outScale = 0 }, "0", "(0, 1000000]"),
        ("inp_asymmetry", { $0.inpAsymmetry = 1.5 }, "1.5", "[-1, 1]"),
        ("nm_thres", { $0.nmThres = -1 }, "-1", "[0, 1000000]"),
        ("nm_decay", { $0.nmDecay = 0 }, "0", "(0, 1]"),
        ("max_bm_factor", { $0.maxBmFactor = 0.5 }, "0.5", "[1, 1e+09]"),
        ("max_bm_res", { $0.maxBmRes = 0 }, "0", "(0, 1]"),
        ("ir_drop", { $0.irDrop = -0.1 }, "-0.1", "[0, 100]"),
    ]

    @Test func invalidValuesAreRejectedWithFieldValueAndRange() {
        for (field, mutate, value, allowed) in Self.invalidCases {
            var io = IOParameters()
            mutate(&io)
            let text = Self.errorText { try io.validate() }
            Self.expectMentions(text, ["'\(field)'", value, allowed])
        }
    }

    @Test func inpBoundOtherThanOneIsFineWithoutNoiseManagementOrWhenPerfect() throws {
        var io = IOParameters()
        io.inpBound = 2
        io.noiseManagement = .none
        try io.validate()
        var p = IOParameters.perfect
        p.inpBound = 2
        try p.validate()
    }

    @Test func tileReportsWhichIOIsInvalid() {
        var bad = IOParameters()
        bad.outNoise = -1
        let w = randomMatrix(rows: 3, cols: 4, seed: 1)
        let f = Self.errorText { _ = try makeTile(w, forward: bad, backward: IOParameters()) }
        Self.expectMentions(f, ["'forward.out_noise'", "-1", "[0, 1000]"])
        let b = Self.errorText { _ = try makeTile(w, forward: IOParameters(), backward: bad) }
        Self.expectMentions(b, ["'backward.out_noise'", "-1", "[0, 1000]"])
    }

    @Test func badInputsToTheTileAreRejected() throws {
        let w = randomMatrix(rows: 3, cols: 4, seed: 1)
        let tile = try makeTile(w, forward: IOParameters())
        Self.expectMentions(Self.errorText { _ = try tile.forward(Matrix(rows: 2, cols: 5)) },
                            ["forward input", "4 columns", "2×5"])
        Self.expectMentions(Self.errorText { _ = try tile.backward(Matrix(rows: 2, cols: 4)) },
                            ["backward input", "3 columns", "2×4"])
        var x = Matrix(rows: 2, cols: 4)
        x[1, 2] = .nan
        Self.expectMentions(Self.errorText { _ = try tile.forward(x) }, ["forward input", "index 6", "nan", "finite"])
        var d = Matrix(rows: 1, cols: 3)
        d[0, 0] = -.infinity
        Self.expectMentions(Self.errorText { _ = try tile.backward(d) }, ["backward input", "index 0", "-inf", "finite"])
        var wBad = w
        wBad[0, 1] = .infinity
        Self.expectMentions(Self.errorText { _ = try makeTile(wBad, forward: IOParameters()) }, ["tile weights", "inf"])
        Self.expectMentions(Self.errorText { _ = try makeTile(Matrix(rows: 0, cols: 3), forward: IOParameters()) },
                            ["tile weights", "0×3"])
        Self.expectMentions(Self.errorText { try tile.setWeights(Matrix(rows: 4, cols: 3)) }, ["weights", "3×4", "4×3"])
    }

    // MARK: JSON

    @Test func jsonRoundTripUsesExactlyTheSnakeCaseFields() throws {
        var io = IOParameters()
        io.isPerfect = false
        io.inpRes = 1.0 / 254.0
        io.inpStoRound = true
        io.inpNoise = 0.01
        io.outRes = 0
        io.outBound = 20
        io.outNoise = 0.1
        io.outNoiseStd = 0.2
        io.outScale = 1.5
        io.wNoise = 0.02
        io.wNoiseType = .pcmRead
        io.noiseManagement = .averageAbsMax
        io.nmThres = 3
        io.nmDecay = 0.01
        io.boundManagement = .iterativeWorstCase
        io.maxBmFactor = 64
        io.bmTestNegativeBound = false
        io.irDrop = 0.5
        let text = io.toJSON()
        let decoded = try IOParameters.fromJSON(text)
        #expect(decoded == io)

        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let names = IOParameters.fields.map(\.name)
        #expect(Set(object.keys) == Set(names))
        #expect(names.count == Set(names).count, "duplicate field names")
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name) is not snake_case")
        }
        // Every stored property has a JSON field (a forgotten field would silently not round-trip).
        #expect(Mirror(reflecting: IOParameters()).children.count == names.count)
        #expect(object["w_noise_type"] as? String == "pcm_read")
        #expect(object["noise_management"] as? String == "average_abs_max")
        #expect(object["bound_management"] as? String == "iterative_worst_case")
    }

    @Test func partialJSONKeepsDefaults() throws {
        let io = try IOParameters.fromJSON(#"{"out_noise": 0.1, "bound_management": "none"}"#)
        var expected = IOParameters()
        expected.outNoise = 0.1
        expected.boundManagement = .none
        #expect(io == expected)
        #expect(try IOParameters.fromJSON("{}") == IOParameters())
        // The reference simulator's CamelCase enum spelling is accepted.
        #expect(try IOParameters.fromJSON(#"{"noise_management": "AbsMax"}"#).noiseManagement == .absMax)
    }

    @Test func unknownKeyNamesTheKeyAndSuggestsTheCloseOne() {
        let text = Self.errorText { _ = try IOParameters.fromJSON(#"{"out_noize": 0.1}"#) }
        Self.expectMentions(text, ["'out_noize'", "did you mean 'out_noise'?"])
        let far = Self.errorText { _ = try IOParameters.fromJSON(#"{"learning_rate": 0.1}"#) }
        Self.expectMentions(far, ["'learning_rate'", "allowed keys", "inp_res"])
    }

    @Test func wrongTypesNameTheFieldAndTheValue() {
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"out_noise": "high"}"#) },
                            ["'out_noise'", "\"high\"", "a number"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"is_perfect": 1}"#) },
                            ["'is_perfect'", "1", "true or false"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"inp_res": [1, 2]}"#) },
                            ["'inp_res'", "an array", "a number"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"out_bound": null}"#) },
                            ["'out_bound'", "null"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"noise_management": "absmaxx"}"#) },
                            ["'noise_management'", "'absmaxx'", "abs_max", "average_abs_max"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"inp_noise": -1}"#) },
                            ["'inp_noise'", "-1", "[0, 100]"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"out_noise": "nan"}"#) },
                            ["'out_noise'", "nan", "[0, 1000]"])
        Self.expectMentions(Self.errorText { _ = try IOParameters.fromJSON(#"{"out_noise": 0.1"#) },
                            ["not valid JSON"])
    }
}
