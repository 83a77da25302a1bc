import Foundation
import Testing
import CrossbarKit

/// Checkpoints with damaged lengths and counts (found by fuzzing, docs/reliability.md): refused
/// with a message naming the entry and the size, never trusted for arithmetic or allocation.
@Suite struct CheckpointDamageTests {
    /// The binary form of an archive with one entry whose value count is replaced by `count`,
    /// with the payload length and checksum made consistent again.
    static func archive(entryType tag: UInt8, claimedCount count: UInt64) throws -> Data {
        var a = StateArchive()
        a.put("k", words: [7])
        var bytes = [UInt8](a.encoded())
        // magic 8, version 4, length 8, entry count 4, key length 4, key 1, tag 1, value count 8.
        bytes[29] = tag
        withUnsafeBytes(of: count.littleEndian) { bytes.replaceSubrange(30..<38, with: $0) }
        // Recompute length and checksum as a writer would have (FNV-1a 64 of the payload).
        let payload = bytes[20..<(bytes.count - 8)]
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in payload { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        withUnsafeBytes(of: h.littleEndian) { bytes.replaceSubrange((bytes.count - 8)..., with: $0) }
        return Data(bytes)
    }

    @Test func entryCountsBeyondTheFileAreRefused() throws {
        #expect(try StateArchive(decoding: try Self.archive(entryType: 2, claimedCount: 1)).words("k") == [7])
        for (tag, name) in [(UInt8(1), "float"), (2, "64-bit word"), (3, "byte")] {
            for count in [UInt64(9), UInt64(Int.max) / 2, UInt64.max] {
                let message = errorMessage { _ = try StateArchive(decoding: try Self.archive(entryType: tag, claimedCount: count), path: "c.bin") }
                #expect(message == "c.bin: truncated (entry 'k' claims \(count) \(name) values, 8 bytes remain)")
            }
        }
        let unknown = errorMessage { _ = try StateArchive(decoding: try Self.archive(entryType: 9, claimedCount: 1), path: "c.bin") }
        #expect(unknown == "c.bin: damaged (unknown entry type 9 of entry 'k'; allowed: 1, 2, 3)")
    }

    @Test func payloadLengthBeyondTheFileIsRefused() throws {
        var bytes = [UInt8](StateArchive().encoded())
        withUnsafeBytes(of: UInt64.max.littleEndian) { bytes.replaceSubrange(12..<20, with: $0) }
        #expect(errorMessage { _ = try StateArchive(decoding: Data(bytes), path: "c.bin") }
            == "c.bin: truncated or damaged (payload length \(UInt64.max), file size \(bytes.count))")
    }
}
