import Foundation
import Testing
import CrossbarKit

/// Hostile IDX headers and gzip streams: the reader checks a header's claim against the data
/// actually present before allocating, and decompresses only as far as the claim needs.
@Suite struct IDXBoundsTests {
    /// An IDX header for unsigned bytes with the given dimensions, followed by `payload`.
    static func idx(_ dims: [Int], payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
        for d in dims {
            out += [UInt8(truncatingIfNeeded: d >> 24), UInt8(truncatingIfNeeded: d >> 16),
                    UInt8(truncatingIfNeeded: d >> 8), UInt8(truncatingIfNeeded: d)]
        }
        return out + payload
    }

    /// Writes `bytes` to a file named `name` in `dir` and returns the message of reading it.
    static func readMessage(_ bytes: [UInt8], _ name: String, in dir: TempFolder) throws -> (path: String, message: String) {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, errorMessage { _ = try IDX.read(path: path) })
    }

    @Test func gzipHeaderClaimingMillionsOfImagesIsRefusedQuicklyWithBothSizes() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        // 300 images of 8×8 present, 4 000 000 claimed (256 000 000 bytes).
        let file = Gzip.compress(Self.idx([4_000_000, 8, 8], payload: sampleArray([300 * 64], seed: 1).bytes))
        let start = ContinuousClock.now
        let (path, message) = try Self.readMessage(file, "big-idx3-ubyte.gz", in: dir)
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(message == "\(path): truncated: header promises 256000000 bytes of data (4000000×8×8), file has 19200 (after gzip decompression)")
        // The same claim at 28×28 (3 136 000 000 bytes) exceeds the 2 GiB a header may claim.
        let mnistLike = Gzip.compress(Self.idx([4_000_000, 28, 28], payload: [UInt8](repeating: 0, count: 300 * 784)))
        let (path2, message2) = try Self.readMessage(mnistLike, "mnist-idx3-ubyte.gz", in: dir)
        #expect(message2 == "\(path2): IDX header declares dimensions 4000000×28×28, more than 2147483648 bytes of data (2 GiB, the most this reader accepts)")
    }

    @Test func rawHeaderClaimingMillionsOfImagesIsRefusedWithBothSizes() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let (path, message) = try Self.readMessage(Self.idx([4_000_000, 8, 8], payload: [UInt8](repeating: 7, count: 640)), "big-idx3-ubyte", in: dir)
        #expect(message == "\(path): truncated: header promises 256000000 bytes of data (4000000×8×8), file has 640")
    }

    @Test func overLongPayloadIsRefusedRawAndGzip() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let bytes = Self.idx([10, 8, 8], payload: [UInt8](repeating: 1, count: 650))
        let (rawPath, raw) = try Self.readMessage(bytes, "long-idx3-ubyte", in: dir)
        #expect(raw == "\(rawPath): corrupt: header promises 640 bytes of data (10×8×8), file has 650 (10 trailing bytes)")
        let (gzPath, gz) = try Self.readMessage(Gzip.compress(bytes), "long-idx3-ubyte.gz", in: dir)
        #expect(gz == "\(gzPath): corrupt: header promises 640 bytes of data (10×8×8), file has 650 (10 trailing bytes) (after gzip decompression)")
    }

    /// A gzip bomb: 20 MiB of zeros after a header claiming 640 bytes; decompression stops
    /// 16 MiB past the claim instead of inflating (and storing) everything.
    @Test func gzipBombBehindASmallHeaderStopsDecompressing() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let bomb = Gzip.compress(Self.idx([10, 8, 8], payload: [UInt8](repeating: 0, count: 20 << 20)))
        let (path, message) = try Self.readMessage(bomb, "bomb-idx3-ubyte.gz", in: dir)
        #expect(message == "\(path): corrupt: header promises 640 bytes of data (10×8×8), file has more than \(640 + (1 << 24)) (decompression stopped there) (after gzip decompression)")
    }

    @Test func truncatedGzipPayloadNamesBothSizes() throws {
        let dir = try TempFolder(); defer { dir.cleanup() }
        let bytes = Self.idx([100], payload: [UInt8](repeating: 3, count: 60))
        let (path, message) = try Self.readMessage(Gzip.compress(bytes), "cut-idx1-ubyte.gz", in: dir)
        #expect(message == "\(path): truncated: header promises 100 bytes of data (100), file has 60 (after gzip decompression)")
    }

    @Test func absurdDimensionsAreRefusedBeforeAllocating() {
        #expect(errorMessage { _ = try IDX.parse(Self.idx([10, 0, 28], payload: []), path: "z") }
            == "z: IDX header declares dimension 2 of 3 as 0 (dimensions 10×0×28); allowed: every dimension 1…4294967295")
        // 255 dimensions of 2³²−1 overflow any integer; refused at the size limit.
        let huge = [Int](repeating: 0xFFFF_FFFF, count: 255)
        #expect(errorMessage { _ = try IDX.parse(Self.idx(huge, payload: [1, 2, 3]), path: "o") }
            .contains("more than 2147483648 bytes of data (2 GiB, the most this reader accepts)"))
        #expect(errorMessage { _ = try IDX.parse(Self.idx([65536, 32769], payload: []), path: "l") }
            == "l: IDX header declares dimensions 65536×32769, more than 2147483648 bytes of data (2 GiB, the most this reader accepts)")
        // Exactly 2³¹ bytes is allowed by the header check (and then refused as truncated).
        #expect(errorMessage { _ = try IDX.parse(Self.idx([65536, 32768], payload: []), path: "e") }
            == "e: truncated: header promises 2147483648 bytes of data (65536×32768), file has 0")
    }

    @Test func gzipDecompressionIsBounded() throws {
        let bytes = [UInt8](repeating: 5, count: 1000)
        let gz = Gzip.compress(bytes)
        #expect(try Gzip.decompress(gz, path: "ok.gz", limit: 1000) == bytes)
        #expect(errorMessage { _ = try Gzip.decompress(gz, path: "big.gz", limit: 999) }
            == "big.gz: gzip data decompresses to more than 999 bytes (the most this reader accepts); decompression stopped there")
        let head = try Gzip.inflate(gz, path: "h.gz", keep: 10, limit: 100)
        #expect(head.bytes == [UInt8](repeating: 5, count: 10) && head.total == 101 && !head.complete)
        let whole = try Gzip.inflate(gz, path: "w.gz", keep: 10, limit: 5000)
        #expect(whole.total == 1000 && whole.complete && whole.bytes.count == 10)
        // A trailer claiming 4 GiB is only a hint: the stream still decodes to its real size
        // (then zlib's length check refuses the lie).
        var lying = gz
        for i in (lying.count - 4)..<lying.count { lying[i] = 0xFF }
        #expect(errorMessage { _ = try Gzip.decompress(lying, path: "lie.gz") }.contains("lie.gz: corrupt gzip data"))
    }
}
