import CrossbarKit
import Foundation
import Testing
import TestSupport

/// The named configurations (docs/algorithms.md §6) and the validation of compound configurations.
@Suite struct ConfigurationTests {
    @Test(arguments: ConfigurationPresets.names)
    func everyPresetBuildsATileAndTrains(_ name: String) throws {
        let config = try ConfigurationPresets.configuration(name)
        let tile = try AnalogTile(outSize: 4, inSize: 6, configuration: config, seeds: SeedSet(master: 3), path: name)
        AlgorithmFixtures.train(tile, samples: 8, batch: 4, learningRate: 0.1)
        let w = tile.weights().storage
        #expect(w.count == 24 && w.allSatisfy { $0.isFinite })
    }

    @Test(arguments: ConfigurationPresets.names)
    func everyPresetRoundTripsThroughJSON(_ name: String) throws {
        let config = try ConfigurationPresets.configuration(name)
        let json = config.toJSON()
        let back = try TileConfiguration.fromJSON(json)
        #expect(back == config)
        #expect(back.toJSON() == json)
    }

    @Test func namesFollowTheReferencePresetClasses() throws {
        let names = Set(ConfigurationPresets.names)
        for family in ["TikiTaka", "TTv2", "ChoppedTTv2", "AGAD", "MixedPrecision"] {
            for device in ["ReRamES", "ReRamSB", "Capacitor", "EcRam", "EcRamMO", "Idealized"] {
                #expect(names.contains(family + device))
            }
        }
        #expect(names.isSuperset(of: ["fp", "ReRamSB", "EcRam", "PCM", "MixedPrecisionPCM", "MixedPrecisionGokmenVlasov"]))
        let lower = try ConfigurationPresets.configuration("choppedttv2reramsb")
        #expect(try lower == ConfigurationPresets.configuration("ChoppedTTv2ReRamSB"))
        #expect { try ConfigurationPresets.configuration("ChoppedTTv3ReRamSB") } throws: { "\($0)".contains("ChoppedTTv2ReRamSB") }
    }

    /// Spot checks against the docs/algorithms.md §6 tables.
    @Test func presetValuesMatchTheSpecTables() throws {
        func compound(_ name: String) throws -> (CompoundConfig, TileConfiguration) {
            let t = try ConfigurationPresets.configuration(name)
            guard case let .compound(c) = t.device else { throw CrossbarError.message("\(name) is not a compound") }
            return (c, t)
        }
        var (c, t) = try compound("ChoppedTTv2ReRamSB")
        #expect(c.kind == .chopped && c.inChopProb == 0.01 && c.inChopRandom && c.fastLR == 0.5 && c.autoGranularity == 1000)
        #expect(c.autoScale && !c.unitsInMbatch && c.transferUpdate == .singlePulse && t.update.desiredBL == 31)
        #expect(c.unitCellDevices.allSatisfy { $0.subtractSymmetryPoint })
        #expect(c.transferForward.noiseManagement == .none && c.transferForward.boundManagement == .none)
        (c, t) = try compound("TTv2EcRam")
        #expect(c.kind == .chopped && c.inChopProb == 0 && c.fastLR == 0.1 && c.autoGranularity == 500 && t.update.desiredBL == 100)
        (c, t) = try compound("AGADCapacitor")
        #expect(c.kind == .dynamic && !c.inChopRandom && c.inChopProb == 0.01 && c.tailWeightening == 20 && c.fastLR == 0.1)
        (c, t) = try compound("AGADEcRam")
        #expect(c.autoGranularity == 750 && c.tailWeightening == 50 && c.inChopProb == 0.005 && t.update.desiredBL == 31)
        (c, t) = try compound("ChoppedTTv2EcRam")
        #expect(c.fastLR == 1 && c.inChopProb == 0.01 && t.update.desiredBL == 100)
        (c, t) = try compound("ChoppedTTv2Idealized")
        #expect(c.inChopProb == 0.001)
        (c, t) = try compound("TikiTakaReRamSB")
        #expect(c.kind == .transfer && c.unitsInMbatch && c.transferEvery == 1 && c.transferUpdate == .preset)
        #expect(c.unitCellDevices.allSatisfy { $0.subtractSymmetryPoint })
        (c, t) = try compound("MixedPrecisionReRamSB")
        #expect(c.kind == .mixedPrecision && !c.fastDevice.subtractSymmetryPoint, "plain ReRamSB preset device")
        let sgd = try ConfigurationPresets.configuration("ReRamSB")
        #expect(sgd.forward == .preset && sgd.update == .preset)
        let s = try ConfigurationPresets.summary("agadreramsb")
        #expect(s == ConfigurationPresets.Summary(name: "AGADReRamSB", algorithm: .agad, type: "dynamic_transfer_compound",
                                                  devicePreset: "ReRamSB", deviceModel: .softBoundsReference))
        #expect(try ConfigurationPresets.summary("fp").algorithm == .fp)
        #expect(try ConfigurationPresets.summary("PCM").algorithm == .sgd)
    }

    // MARK: Invalid combinations

    static func decodeError(_ json: String) -> CrossbarError? {
        do {
            _ = try TileConfiguration.fromJSON(json)
            return nil
        } catch let e as CrossbarError {
            return e
        } catch {
            return .message("\(error)")
        }
    }

    static let sb = #"{"type": "soft_bounds_reference", "dw_min": 0.01}"#

    @Test func choppedWithThreeDevicesIsRefused() {
        let e = Self.decodeError(#"{"device": {"type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb), \#(Self.sb)]}}"#)
        guard case let .invalidParameter(field, value, allowed)? = e else { Issue.record("accepted: \(String(describing: e))"); return }
        #expect(field == "device.unit_cell_devices")
        #expect(value == "3 devices")
        #expect(allowed == "exactly 2")
    }

    @Test func choppedWithTwoReadsPerTransferIsRefused() {
        let e = Self.decodeError(#"{"device": {"type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "n_reads_per_transfer": 2}}"#)
        #expect(e == .invalidParameter(field: "device.n_reads_per_transfer", value: "2", allowed: "1 for chopped_transfer_compound"))
    }

    @Test func mixedPrecisionWithOnlyInputBinsIsRefused() {
        let e = Self.decodeError(#"{"device": {"type": "mixed_precision_compound", "device": \#(Self.sb), "n_x_bins": 8}}"#)
        guard case let .invalidParameter(field, _, allowed)? = e else { Issue.record("accepted: \(String(describing: e))"); return }
        #expect(field == "device.n_d_bins")
        #expect(allowed.contains("both or neither"))
    }

    @Test func agadWithoutChopperIsRefused() {
        let e = Self.decodeError(#"{"device": {"type": "dynamic_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "in_chop_prob": 0}}"#)
        guard case let .invalidParameter(field, value, _)? = e else { Issue.record("accepted: \(String(describing: e))"); return }
        #expect(field == "device.in_chop_prob")
        #expect(value == "0.0")
    }

    @Test func unknownKeysAreRefusedWithTheirName() {
        // A field of another kind is unknown here: thres_scale belongs to the buffered compound.
        var e = Self.decodeError(#"{"device": {"type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "thres_scale": 2}}"#)
        guard case let .unknownKey(_, key, allowed)? = e else { Issue.record("accepted: \(String(describing: e))"); return }
        #expect(key == "thres_scale")
        #expect(allowed.contains("in_chop_prob"))
        e = Self.decodeError(#"{"device": {"type": "dynamic_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "tail_weighting": 5}}"#)
        #expect("\(e.map { "\($0)" } ?? "accepted")".contains("tail_weighting"))
        e = Self.decodeError(#"{"device": {"type": "transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "in_chop_prob": 0.1}}"#)
        #expect("\(e.map { "\($0)" } ?? "accepted")".contains("in_chop_prob"), "TTv1 has no chopper")
    }

    @Test func otherInvalidValuesNameTheirField() {
        let cases: [(String, String)] = [
            (#""type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "in_chop_prob": 1.5"#, "in_chop_prob"),
            (#""type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "buffer_granularity": 0"#, "buffer_granularity"),
            (#""type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "random_selection": true"#, "random_selection"),
            (#""type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "with_reset_prob": 0.1"#, "with_reset_prob"),
            (#""type": "transfer_compound", "unit_cell_devices": [\#(Self.sb)]"#, "unit_cell_devices"),
            (#""type": "buffered_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "thres_scale": 0"#, "thres_scale"),
            (#""type": "mixed_precision_compound", "device": \#(Self.sb), "transfer_every": 1.5"#, "transfer_every"),
            (#""type": "chopped_transfer_compound", "unit_cell_devices": [\#(Self.sb), \#(Self.sb)], "gamma_vec": [1, 2, 3]"#, "gamma_vec"),
        ]
        for (body, field) in cases {
            let e = Self.decodeError("{\"device\": {\(body)}}")
            #expect("\(e.map { "\($0)" } ?? "accepted")".contains(field), "\(field): \(String(describing: e))")
        }
    }
}
