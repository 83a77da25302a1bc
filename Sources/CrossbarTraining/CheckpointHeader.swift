import Foundation
import CrossbarFoundation

/// What every training checkpoint holds besides the model state (``TrainingSession`` for fc and
/// LeNet-5, ``CharacterTrainingSession`` for the LSTM): its kind, the run identity with its
/// SHA-256 fingerprint, the epoch history and the trainer position. One reader, so that both
/// refuse a foreign or damaged checkpoint in the same way and before anything changes.
enum CheckpointHeader {
    /// Writes the entries every training checkpoint starts with (`meta.*`, the trainer
    /// position, the learning rate of the current epoch, the pulse counts at the epoch's start
    /// and the master seed); the session adds its model's state.
    static func write(into a: inout StateArchive, kind: String, identity: RunIdentity, model: String, configurationName: String,
                      configurationJSON: String, epochs: Int, historyLines: [String], state s: TrainingState,
                      learningRate: Float, epochStartPulses: [UInt64], seed: UInt64) {
        a.put("meta.kind", bytes: Array(kind.utf8))
        a.put("meta.identity", bytes: Array(identity.canonicalText.utf8))
        a.put("meta.fingerprint", bytes: Array(identity.fingerprint.utf8))
        a.put("meta.model", bytes: Array(model.utf8))
        a.put("meta.configuration_name", bytes: Array(configurationName.utf8))
        a.put("meta.configuration", bytes: Array(configurationJSON.utf8))
        a.put("meta.epochs", UInt64(epochs))
        a.put("meta.history", bytes: Array(historyLines.map { $0 + "\n" }.joined().utf8))
        a.put("trainer.state", words: [UInt64(s.epoch), UInt64(s.batchIndex), UInt64(s.correct), UInt64(s.samples),
                                       s.lossSum.bitPattern, s.seconds.bitPattern])
        a.put("trainer.learning_rate", learningRate)
        a.put("trainer.epoch_start_pulses", words: epochStartPulses)
        a.put("seeds", words: [seed])
    }

    /// Throws unless `archive` is a checkpoint of `kind` written by the run `identity`; a
    /// checkpoint of another run is refused with the differing fields named, then `hint`.
    static func verify(_ archive: StateArchive, kind: String, identity: RunIdentity, hint: String,
                       fail: (String) -> CrossbarError) throws {
        guard let storedKind = try? archive.bytes("meta.kind"), let identityBytes = try? archive.bytes("meta.identity"),
              let fingerprint = try? archive.bytes("meta.fingerprint")
        else { throw fail("not a training checkpoint of crossbar train (no run identity)") }
        let kindText = String(decoding: storedKind, as: UTF8.self)
        guard kindText == kind else {
            throw fail("is a checkpoint of another model kind ('\(kindText)'), not of a '\(kind)' run")
        }
        let stored: RunIdentity
        do { stored = RunIdentity(document: try JSONValue.parse(Data(identityBytes), what: "run identity")) } catch {
            throw fail("damaged (the run identity is not valid JSON)")
        }
        // The fingerprint is checked against the stored text as written (not as this version
        // would re-serialise it), so a checkpoint of an earlier version is compared field by
        // field below instead of being called damaged.
        guard ContentDigest.sha256Hex(identityBytes) == String(decoding: fingerprint, as: UTF8.self) else {
            throw fail("damaged (the run identity does not match its fingerprint)")
        }
        guard stored == identity else {
            throw fail("belongs to another run, refusing to resume; it differs in: "
                       + stored.differences(from: identity).joined(separator: "; ") + ". " + hint)
        }
    }

    /// The epoch records of `meta.history`, one JSON line each.
    static func history<Record: Decodable>(_ archive: StateArchive, as type: Record.Type,
                                           fail: (String) -> CrossbarError) throws -> [Record] {
        do {
            let text = String(decoding: try archive.bytes("meta.history"), as: UTF8.self)
            return try text.split(separator: "\n").map {
                try JSONCoding.decode(Record.self, from: Data($0.utf8), what: "checkpoint history")
            }
        } catch {
            throw fail("damaged (epoch history: \(error))")
        }
    }

    /// The trainer position of `trainer.state`, checked against the epochs per run and the
    /// recorded history.
    static func trainerState(_ archive: StateArchive, batchesPerEpoch: Int, recordedEpochs: Int,
                             fail: (String) -> CrossbarError) throws -> TrainingState {
        let w = try archive.words("trainer.state")
        guard w.count == 6 else { throw archive.wrongSize("trainer.state", 6, w.count) }
        var state = TrainingState()
        // Counts beyond 2³¹ are damage, not progress (and would not fit an Int on every platform).
        state.epoch = try archive.integer(w[0], of: "trainer.state", in: 0...Int(Int32.max))
        state.batchIndex = try archive.integer(w[1], of: "trainer.state", in: 0...Int(Int32.max))
        state.correct = try archive.integer(w[2], of: "trainer.state", in: 0...Int(Int32.max))
        state.samples = try archive.integer(w[3], of: "trainer.state", in: 0...Int(Int32.max))
        state.lossSum = Double(bitPattern: w[4]); state.seconds = Double(bitPattern: w[5])
        guard state.batchIndex <= batchesPerEpoch, recordedEpochs == state.epoch else {
            throw fail("damaged (trainer position epoch \(state.epoch), batch \(state.batchIndex) with \(recordedEpochs) recorded epochs)")
        }
        return state
    }

    /// The pulse counts at the start of the current epoch (`count` arrays), after checking the
    /// master seed entry against `seed`.
    static func epochStartPulses(_ archive: StateArchive, count: Int, seed: UInt64,
                                 fail: (String) -> CrossbarError) throws -> [UInt64] {
        let pulses = try archive.words("trainer.epoch_start_pulses")
        guard pulses.count == count else { throw archive.wrongSize("trainer.epoch_start_pulses", count, pulses.count) }
        guard try archive.words("seeds") == [seed] else { throw fail("damaged (seed entry does not match the identity)") }
        return pulses
    }
}
