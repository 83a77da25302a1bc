import Foundation
import CrossbarFoundation

/// An array read from an IDX file (the format of the MNIST and Fashion-MNIST distributions,
/// http://yann.lecun.com/exdb/mnist/): dimensions and unsigned-byte elements, row-major.
public struct IDXArray: Sendable, Equatable {
    /// Sizes of the dimensions, outermost first (e.g. [60000, 28, 28] for MNIST images).
    public let dimensions: [Int]
    /// The elements, row-major (count = product of `dimensions`).
    public let bytes: [UInt8]

    public init(dimensions: [Int], bytes: [UInt8]) {
        precondition(dimensions.reduce(1, *) == bytes.count, "IDXArray: \(bytes.count) bytes for dimensions \(dimensions)")
        self.dimensions = dimensions
        self.bytes = bytes
    }
}

/// Reading and writing IDX files (optionally gzip-compressed).
///
/// Layout: two zero bytes, an element-type code, the number of dimensions n, then n big-endian
/// 32-bit sizes, then the elements. Element types of the format: 0x08 unsigned byte,
/// 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64; CrossbarKit's
/// datasets use 0x08 only and any other type is rejected with a clear error.
public enum IDX {
    /// Element type codes of the IDX format and their sizes in bytes.
    static let typeNames: [UInt8: (name: String, size: Int)] = [
        0x08: ("unsigned byte", 1), 0x09: ("signed byte", 1), 0x0B: ("int16", 2),
        0x0C: ("int32", 4), 0x0D: ("float32", 4), 0x0E: ("float64", 8),
    ]

    /// The largest element payload a header may declare: 2³¹ bytes (2 GiB, 30 times the
    /// MNIST training images). Larger headers are refused before anything is allocated.
    public static let maximumPayloadBytes = 1 << 31
    /// The longest IDX header: 4 bytes plus 255 dimensions of 4 bytes (1024 bytes).
    public static let maximumHeaderBytes = 4 + 4 * 255
    /// How far past the header's claim a gzip file is decompressed, only to count its surplus
    /// for the error message (16 MiB; scratch memory stays 64 KiB).
    static let surplusCountLimit = 1 << 24

    /// A checked IDX header: what it claims, validated against the limits of this reader.
    public struct Header: Sendable, Equatable {
        /// Sizes of the dimensions, outermost first; each in 1…2³²−1.
        public let dimensions: [Int]
        /// Length of the header in bytes (4 + 4 × rank).
        public let headerBytes: Int
        /// Length of the element payload the header claims, in bytes (product of the
        /// dimensions × element size; at most ``IDX/maximumPayloadBytes``).
        public let payloadBytes: Int
        /// The dimensions written as `60000×28×28` for messages.
        public var shape: String { dimensions.map(String.init).joined(separator: "×") }
    }

    /// Reads the IDX file at `path` (gzip-compressed or plain; detected by the magic bytes).
    ///
    /// Nothing is allocated from the header's claim: a gzip file is first decompressed only as
    /// far as its header (at most 1024 bytes), then only as far as the header's claim plus one
    /// byte, so a small file whose header claims millions of images costs the memory of its
    /// real contents. A payload shorter or longer than the header claims is refused naming
    /// the file and both sizes.
    public static func read(path: String) throws -> IDXArray {
        try decode(try readFile(path: path), path: path)
    }

    /// Parses the bytes of an IDX file, gzip-compressed (detected by the magic bytes; bounded
    /// decompression, see ``read(path:)``) or plain; `path` names the source in errors.
    public static func decode(_ raw: [UInt8], path: String) throws -> IDXArray {
        guard Gzip.isGzip(raw) else { return try parse(raw, path: path) }
        return try parseGzip(raw, path: path)
    }

    /// Parses gzip-compressed IDX bytes with bounded decompression (see ``read(path:)``);
    /// `path` names the source in errors.
    public static func parseGzip(_ raw: [UInt8], path: String) throws -> IDXArray {
        let note = " (after gzip decompression)"
        let head = try Gzip.inflate(raw, path: path, keep: maximumHeaderBytes, limit: maximumHeaderBytes)
        let header = try parseHeader(head.bytes, path: path, note: note)
        let expected = header.headerBytes + header.payloadBytes
        let body = try Gzip.inflate(raw, path: path, keep: expected, limit: expected + surplusCountLimit)
        if body.total > expected {
            let promised = header.payloadBytes
            let present = body.complete
                ? "\(body.total - header.headerBytes) (\(body.total - expected) trailing bytes)"
                : "more than \(expected + surplusCountLimit - header.headerBytes) (decompression stopped there)"
            throw CrossbarError.file(path: path, reason: "corrupt: header promises \(promised) bytes of data (\(header.shape)), file has \(present)\(note)")
        }
        return try parse(body.bytes, path: path, note: note)
    }

    /// Parses IDX bytes; `path` names the source in errors, `note` is appended to size reports.
    public static func parse(_ data: [UInt8], path: String, note: String = "") throws -> IDXArray {
        let header = try parseHeader(data, path: path, note: note)
        let promised = header.payloadBytes
        let available = data.count - header.headerBytes
        if available < promised {
            throw CrossbarError.file(path: path, reason: "truncated: header promises \(promised) bytes of data (\(header.shape)), file has \(available)\(note)")
        }
        if available > promised {
            throw CrossbarError.file(path: path, reason: "corrupt: header promises \(promised) bytes of data (\(header.shape)), file has \(available) (\(available - promised) trailing bytes)\(note)")
        }
        return IDXArray(dimensions: header.dimensions, bytes: Array(data[header.headerBytes...]))
    }

    /// Checks the IDX header at the start of `data` (which may hold only a prefix of the
    /// file): magic bytes, element type (unsigned bytes only), rank 1…255, every dimension
    /// ≥ 1 and a payload of at most ``maximumPayloadBytes``. `note` is appended to size reports.
    public static func parseHeader(_ data: [UInt8], path: String, note: String = "") throws -> Header {
        func fail(_ reason: String) -> CrossbarError { .file(path: path, reason: reason) }
        if data.isEmpty { throw fail("empty file (0 bytes); expected an IDX file") }
        guard data.count >= 4 else {
            throw fail("truncated: an IDX header needs at least 4 bytes, file has \(data.count)\(note)")
        }
        guard data[0] == 0, data[1] == 0 else {
            throw fail("not an IDX file: starts with bytes \(hex(data[0])) \(hex(data[1])), expected 0x00 0x00")
        }
        let type = data[2]
        guard let info = typeNames[type] else {
            throw fail("not an IDX file: unknown element type code \(hex(type)) (known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)")
        }
        guard type == 0x08 else {
            throw fail("unsupported IDX element type \(hex(type)) (\(info.name)); only unsigned bytes (0x08) are supported")
        }
        let rank = Int(data[3])
        guard rank >= 1 else { throw fail("IDX header declares 0 dimensions (allowed: 1…255)") }
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else {
            throw fail("truncated: header declares \(rank) dimensions (\(headerSize) header bytes), file has \(data.count) bytes\(note)")
        }
        let dims = (0..<rank).map { d in
            let o = 4 + 4 * d
            return Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3])
        }
        let shape = dims.map(String.init).joined(separator: "×")
        if let zero = dims.firstIndex(of: 0) {
            throw fail("IDX header declares dimension \(zero + 1) of \(rank) as 0 (dimensions \(shape)); allowed: every dimension 1…4294967295")
        }
        // Sizes are below 2³², so a product beyond the limit is detected before it can overflow.
        var payload = info.size
        for size in dims {
            payload *= size
            if payload > maximumPayloadBytes {
                throw fail("IDX header declares dimensions \(shape), more than \(maximumPayloadBytes) bytes of data (2 GiB, the most this reader accepts)")
            }
        }
        return Header(dimensions: dims, headerBytes: headerSize, payloadBytes: payload)
    }

    /// The IDX encoding of `array` (unsigned bytes).
    public static func encode(_ array: IDXArray) -> [UInt8] {
        precondition(array.dimensions.count <= 255 && array.dimensions.allSatisfy { $0 >= 0 && $0 <= Int(UInt32.max) })
        var out: [UInt8] = [0, 0, 0x08, UInt8(array.dimensions.count)]
        for d in array.dimensions {
            out += [UInt8(truncatingIfNeeded: d >> 24), UInt8(truncatingIfNeeded: d >> 16),
                    UInt8(truncatingIfNeeded: d >> 8), UInt8(truncatingIfNeeded: d)]
        }
        out += array.bytes
        return out
    }

    /// Writes `array` to `path` atomically (temporary file in the same folder, then rename),
    /// gzip-compressed when `compressed`.
    public static func write(_ array: IDXArray, to path: String, compressed: Bool) throws {
        let bytes = encode(array)
        let data = Data(compressed ? Gzip.compress(bytes) : bytes)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CrossbarError.file(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    static func hex(_ b: UInt8) -> String {
        let digits = String(b, radix: 16)
        return "0x" + (digits.count < 2 ? "0" + digits : digits)
    }

    /// The bytes of the file at `path`, with clear errors for missing or unreadable files.
    static func readFile(path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CrossbarError.file(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw CrossbarError.file(path: path, reason: "is a folder, expected a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CrossbarError.file(path: path, reason: "cannot read the file (permission denied?)")
        }
        return [UInt8](data)
    }
}
