import Foundation
import Testing
import CrossbarKit
import TestSupport

/// A fresh temporary folder, removed by `cleanup()`.
struct TempFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("crossbar-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// The message of the CrossbarError `body` throws (empty string when it does not throw).
func errorMessage(_ body: () throws -> Void) -> String {
    do { try body() } catch { return "\(error)" }
    return ""
}

/// A small pseudo-random IDX array with the given dimensions.
func sampleArray(_ dims: [Int], seed: UInt64) -> IDXArray {
    var g = Xoshiro256(seed: seed)
    let n = dims.reduce(1, *)
    return IDXArray(dimensions: dims, bytes: (0..<n).map { _ in UInt8(truncatingIfNeeded: g.next()) })
}

@Suite struct IDXTests {
    @Test func plainRoundTrip() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let a = sampleArray([7, 5, 3], seed: 1)
        try IDX.write(a, to: dir.file("a-idx3-ubyte"), compressed: false)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.file("a-idx3-ubyte"))))
        // Header: 0 0 8 3, then big-endian 7, 5, 3.
        #expect(Array(raw[0..<16]) == [0, 0, 8, 3, 0, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0, 3])
        #expect(raw.count == 16 + 105)
        #expect(try IDX.read(path: dir.file("a-idx3-ubyte")) == a)
    }

    @Test func gzipRoundTripThroughZlib() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let a = sampleArray([300, 4], seed: 2)
        let path = dir.file("a-idx2-ubyte.gz")
        try IDX.write(a, to: path, compressed: true)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Gzip.isGzip(raw))
        #expect(try IDX.read(path: path) == a)
    }

    /// A file compressed by the `gzip` tool (not by our own deflate) reads back identically;
    /// two concatenated gzip members decode like `gunzip` does.
    static let gzipTool = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: gzipTool != nil, "no gzip command"))
    func readsFilesCompressedByTheGzipTool() throws {
        let gzipTool = try #require(Self.gzipTool)
        let dir = try TempFolder(); defer { dir.cleanup() }
        let a = sampleArray([1000, 3], seed: 3)
        let plain = dir.file("x-idx2-ubyte")
        try IDX.write(a, to: plain, compressed: false)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gzipTool)
        p.arguments = ["-k", "-9", plain]
        try p.run(); p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try IDX.read(path: plain + ".gz") == a)

        let bytes = IDX.encode(a)
        let half = bytes.count / 2
        let twoMembers = Gzip.compress(Array(bytes[..<half])) + Gzip.compress(Array(bytes[half...]))
        #expect(try Gzip.decompress(twoMembers, path: "two-members") == bytes)
    }

    @Test func truncatedDataNamesFileAndSizes() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        var bytes = IDX.encode(sampleArray([10, 28, 28], seed: 4))
        bytes.removeLast(bytes.count - 16 - 1000)
        let path = dir.file("cut-idx3-ubyte")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let message = errorMessage { _ = try IDX.read(path: path) }
        #expect(message.contains(path))
        #expect(message.contains("truncated: header promises 7840 bytes of data (10×28×28), file has 1000"))
        // The same file gzip-compressed says the sizes are after decompression.
        try Data(Gzip.compress(bytes)).write(to: URL(fileURLWithPath: path + ".gz"))
        let gzMessage = errorMessage { _ = try IDX.read(path: path + ".gz") }
        #expect(gzMessage.contains("file has 1000 (after gzip decompression)"))
    }

    @Test func truncatedHeaderTrailingBytesAndEmptyFiles() throws {
        #expect(errorMessage { _ = try IDX.parse([0, 0, 8, 3, 0, 0, 0, 1], path: "h") }
            .contains("truncated: header declares 3 dimensions (16 header bytes), file has 8 bytes"))
        #expect(errorMessage { _ = try IDX.parse([0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3], path: "t") }
            .contains("1 trailing bytes"))
        #expect(errorMessage { _ = try IDX.parse([], path: "empty.idx") } == "empty.idx: empty file (0 bytes); expected an IDX file")
        #expect(errorMessage { _ = try IDX.parse([0, 0], path: "short") }.contains("at least 4 bytes, file has 2"))
        #expect(errorMessage { _ = try IDX.parse([0, 0, 8, 0], path: "rank0") }.contains("0 dimensions"))
    }

    @Test func wrongMagicAndUnsupportedType() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let path = dir.file("png-like")
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4]).write(to: URL(fileURLWithPath: path))
        let message = errorMessage { _ = try IDX.read(path: path) }
        #expect(message == "\(path): not an IDX file: starts with bytes 0x89 0x50, expected 0x00 0x00")
        #expect(errorMessage { _ = try IDX.parse([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], path: "f") }
            .contains("unsupported IDX element type 0x0d (float32)"))
        #expect(errorMessage { _ = try IDX.parse([0, 0, 0x42, 1, 0, 0, 0, 0], path: "u") }
            .contains("unknown element type code 0x42"))
    }

    @Test func corruptAndTruncatedGzipStreams() throws {
        let bytes = IDX.encode(sampleArray([2000], seed: 5))
        let gz = Gzip.compress(bytes)
        let cut = Array(gz[0..<(gz.count / 2)])
        #expect(errorMessage { _ = try Gzip.decompress(cut, path: "half.gz") }.contains("half.gz: truncated gzip stream"))
        // Flipped payload bytes fail the CRC-32 check; a wrong method byte fails the header.
        var bad = gz
        for i in 100..<110 { bad[i] ^= 0xFF }
        #expect(errorMessage { _ = try Gzip.decompress(bad, path: "bad.gz") }.contains("bad.gz: corrupt gzip data"))
        var badHeader = gz
        badHeader[2] = 7
        #expect(errorMessage { _ = try Gzip.decompress(badHeader, path: "hdr.gz") }.contains("hdr.gz: corrupt gzip data"))
        // Plain data passes through unchanged.
        #expect(try Gzip.decompressIfNeeded(bytes, path: "plain") == bytes)
    }

    @Test func missingFileIsNamed() {
        #expect(errorMessage { _ = try IDX.read(path: "/nonexistent/a-idx1-ubyte") } == "/nonexistent/a-idx1-ubyte: no such file")
    }
}
