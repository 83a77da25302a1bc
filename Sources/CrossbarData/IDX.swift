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

    /// Reads the IDX file at `path` (gzip-compressed or plain; detected by the magic bytes).
    public static func read(path: String) throws -> IDXArray {
        let raw = try readFile(path: path)
        let wasCompressed = Gzip.isGzip(raw)
        let data = try Gzip.decompressIfNeeded(raw, path: path)
        return try parse(data, path: path, note: wasCompressed ? " (after gzip decompression)" : "")
    }

    /// Parses IDX bytes; `path` names the source in errors, `note` is appended to size reports.
    public static func parse(_ data: [UInt8], path: String, note: String = "") throws -> IDXArray {
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
        var dims: [Int] = []
        var product = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let size = Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3])
            dims.append(size)
            let (p, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("IDX dimensions \(dims) overflow the element count") }
            product = p
        }
        let promised = product * info.size
        let available = data.count - headerSize
        let shape = dims.map(String.init).joined(separator: "×")
        if available < promised {
            throw fail("truncated: header promises \(promised) bytes of data (\(shape)), file has \(available)\(note)")
        }
        if available > promised {
            throw fail("corrupt: header promises \(promised) bytes of data (\(shape)), file has \(available) (\(available - promised) trailing bytes)\(note)")
        }
        return IDXArray(dimensions: dims, bytes: Array(data[headerSize...]))
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
