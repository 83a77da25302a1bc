import CrossbarKit
import Foundation
import Testing
import TestSupport

/// JSON configs of devices and update parameters: snake_case keys, full round trips, unknown
/// keys rejected with the key named, invalid values named with their allowed range.
@Suite struct DeviceConfigCodingTests {
    static func decode(_ json: String) throws -> DeviceConfig {
        try JSONCoding.decode(DeviceConfig.self, from: Data(json.utf8), what: "device")
    }

    @Test(arguments: DevicePresets.names) func presetRoundTrip(_ name: String) throws {
        let preset = try DevicePresets.device(name)
        let json = preset.toJSON()
        #expect(try Self.decode(json) == preset, "\(name) decodes back unchanged")
        // Every field the model accepts is written out (the full resolved JSON).
        for f in DeviceConfig.fields(for: preset.model) { #expect(json.contains("\"\(f.name)\""), "\(name): \(f.name)") }
        try preset.validate()
    }

    @Test(arguments: DeviceModel.allCases) func modelDefaultsRoundTrip(_ model: DeviceModel) throws {
        let c = DeviceConfig(model: model)
        #expect(try Self.decode(c.toJSON()) == c)
        // A minimal config gets the model's defaults.
        #expect(try Self.decode("{\"type\": \"\(model.rawValue)\"}") == c)
        // Non-default values survive.
        var v = c
        v.dwMin = 0.0123
        v.diffusion = 0.002
        if model == .piecewiseStep { v.piecewiseUp = [1, 0.5, 0.25]; v.piecewiseDown = [0.25, 0.5, 1] }
        if model.hasReference { v.referenceStd = 0.07; v.subtractSymmetryPoint = true }
        let back = try Self.decode(v.toJSON())
        if model.isPulsed {
            #expect(back == v)
        } else {
            #expect(back.diffusion == 0.002, "floating-point devices keep their retention fields")
        }
    }

    @Test func unknownKeysAreRejectedByName() {
        func message(_ json: String) -> String {
            do { _ = try Self.decode(json); return "" } catch { return "\(error)" }
        }
        let typo = message(#"{"type": "soft_bounds", "dw_mn": 0.01}"#)
        #expect(typo.contains("dw_mn") && typo.contains("dw_min"), "\(typo)")
        // A key of another model is unknown too (gamma_up is LinearStep's, not SoftBounds').
        let other = message(#"{"type": "soft_bounds", "gamma_up": 0.5}"#)
        #expect(other.contains("gamma_up"), "\(other)")
        let write = message(#"{"type": "constant_step", "write_noise_std": 1}"#)
        #expect(write.contains("write_noise_std"), "constant_step has no write noise: \(write)")
        let missing = message(#"{"dw_min": 0.01}"#)
        #expect(missing.contains("type"), "\(missing)")
        let badType = message(#"{"type": "soft_bound"}"#)
        #expect(badType.contains("soft_bound") && badType.contains("soft_bounds"), "\(badType)")
        #expect(throws: CrossbarError.self) { try JSONCoding.decode(UpdateParameters.self, from: Data(#"{"desired_BL": 3}"#.utf8)) }
    }

    @Test func invalidValuesNameFieldValueAndRange() {
        func error(_ json: String) -> CrossbarError? {
            do { _ = try Self.decode(json); return nil } catch let e as CrossbarError { return e } catch { return nil }
        }
        let cases: [(String, String, String)] = [
            (#"{"type": "soft_bounds", "dw_min": -0.1}"#, "dw_min", "[1e-07, 10]"),
            (#"{"type": "soft_bounds", "w_max": -0.5}"#, "w_max", "[0, 100]"),
            (#"{"type": "soft_bounds", "w_min": 0.5}"#, "w_min", "[-100, 0]"),
            (#"{"type": "linear_step", "dw_min_std": -1}"#, "dw_min_std", "[0, 100]"),
            (#"{"type": "constant_step", "corrupt_devices_prob": 1.5}"#, "corrupt_devices_prob", "1"),
            (#"{"type": "pow_step", "pow_gamma": 0}"#, "pow_gamma", "(0, 100]"),
            (#"{"type": "piecewise_step", "piecewise_up": [1, 2], "piecewise_down": [1]}"#, "piecewise_down", "as many nodes"),
            (#"{"type": "soft_bounds", "mult_noise": false, "reverse_up": true}"#, "reverse_up", "mult_noise"),
            // Values that are finite but far outside anything physical are typos, not experiments.
            (#"{"type": "soft_bounds", "dw_min_std": 1e30}"#, "dw_min_std", "[0, 100]"),
            (#"{"type": "soft_bounds", "up_down": 50}"#, "up_down", "[-1, 1]"),
            (#"{"type": "soft_bounds", "up_down": -50}"#, "up_down", "[-1, 1]"),
            (#"{"type": "soft_bounds", "w_max": 1e30}"#, "w_max", "[0, 100]"),
            (#"{"type": "soft_bounds", "reset": 1e30}"#, "reset", "[-100, 100]"),
            (#"{"type": "soft_bounds", "dw_min": 1e-30}"#, "dw_min", "[1e-07, 10]"),
            (#"{"type": "soft_bounds_reference", "reference_std": 1e9}"#, "reference_std", "[0, 100]"),
            (#"{"type": "soft_bounds_reference", "reference_mean": 1e30}"#, "reference_mean", "[-100, 100]"),
        ]
        for (json, field, allowed) in cases {
            let e = error(json)
            guard case let .invalidParameter(f, _, a)? = e else {
                Issue.record("\(json): expected invalidParameter, got \(String(describing: e))")
                continue
            }
            #expect(f == field, "\(json): field \(f)")
            #expect(a.contains(allowed), "\(json): allowed '\(a)'")
            #expect(e!.description.contains(field))
        }
        var p = UpdateParameters()
        p.desiredBL = 0
        #expect(throws: CrossbarError.self) { try p.validate() }
    }

    /// Weight granularity ε and n_states (docs/devices.md, "Weight granularity").
    @Test func granularity() throws {
        var c = DeviceConfig(model: .softBounds)
        c.dwMin = 0.002
        c.wMax = 1.25
        c.wMin = -0.75
        #expect(c.granularity == 0.002)
        #expect(abs(c.numberOfStates - 1000) < 1e-3)
        var p = DeviceConfig(model: .powStep)
        p.powGamma = 2
        #expect(abs(p.granularity - 0.001 * 0.25) < 1e-9)
        var pw = DeviceConfig(model: .piecewiseStep)
        pw.piecewiseUp = [2, 1.5, 0.5, 0.1]
        pw.piecewiseDown = [1, 1, 1, 1]
        #expect(abs(pw.granularity - 0.001 * 0.5) < 1e-9) // piecewise_up[len/2]
        // ExpStep: mean of the up and down steps at w = 0 (docs/devices.md, "Deviations from the reference simulator" deviation).
        let e = try DevicePresets.device("ReRamES")
        let z = Double(e.expB)
        let up = Double(e.dwMin) * max(1 - Double(e.aUp) * exp(Double(e.gammaUp) * z), 0)
        let down = (1 - Double(e.upDown)) * Double(e.dwMin) * max(1 - Double(e.aDown) * exp(-Double(e.gammaDown) * z), 0)
        #expect(abs(Double(e.granularity) - 0.5 * (up + down)) < 1e-6 * Double(e.dwMin))
        #expect(abs(try DevicePresets.device("Idealized").numberOfStates - 10_000) < 1)
    }
}
