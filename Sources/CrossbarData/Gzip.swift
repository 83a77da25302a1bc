import CZlib
import Foundation
import CrossbarFoundation

/// gzip (RFC 1952) decompression and compression through the system zlib.
///
/// The dataset readers call ``decompressIfNeeded(_:path:)``: data that starts with the gzip
/// magic bytes 0x1f 0x8b is inflated (zlib auto-detects the gzip/zlib wrapper with
/// windowBits 15 + 32; concatenated gzip members are all decoded), anything else passes
/// through unchanged. Corrupt or truncated streams throw `CrossbarError/file(path:reason:)`
/// naming the file.
public enum Gzip {
    /// True when `data` starts with the gzip magic bytes 0x1f 0x8b.
    public static func isGzip(_ data: [UInt8]) -> Bool {
        data.count >= 2 && data[0] == 0x1F && data[1] == 0x8B
    }

    /// `data` inflated when it is gzip, unchanged otherwise. `path` names the file in errors.
    public static func decompressIfNeeded(_ data: [UInt8], path: String) throws -> [UInt8] {
        isGzip(data) ? try decompress(data, path: path) : data
    }

    /// Inflates a gzip (or zlib) stream; concatenated gzip members are decoded one after the
    /// other, as `gunzip` does.
    public static func decompress(_ data: [UInt8], path: String) throws -> [UInt8] {
        guard !data.isEmpty else { throw CrossbarError.file(path: path, reason: "empty gzip file") }
        // The gzip trailer holds the uncompressed size modulo 2³²: a good first capacity.
        var capacity = data.count * 4
        if data.count >= 18 {
            let n = data.count
            let isize = Int(data[n - 4]) | Int(data[n - 3]) << 8 | Int(data[n - 2]) << 16 | Int(data[n - 1]) << 24
            capacity = max(capacity, isize + 1)
        }
        var output = [UInt8](repeating: 0, count: max(capacity, 64))
        var produced = 0
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CrossbarError.file(path: path, reason: "zlib could not start inflating (out of memory?)")
        }
        defer { inflateEnd(&stream) }
        var input = data
        let total = input.count
        try input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(total)
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let room = output.count - produced
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(min(room, Int(UInt32.max)))
                    let s = inflate(&stream, Z_NO_FLUSH)
                    produced += min(room, Int(UInt32.max)) - Int(stream.avail_out)
                    return s
                }
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow (skip zero padding some tools append).
                    var rest = Int(stream.avail_in)
                    while rest > 0 && stream.next_in.pointee == 0 {
                        stream.next_in += 1
                        rest -= 1
                    }
                    if rest == 0 { return }
                    stream.avail_in = UInt32(rest)
                    guard inflateReset(&stream) == Z_OK else {
                        throw CrossbarError.file(path: path, reason: "corrupt gzip data after member end")
                    }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        throw CrossbarError.file(path: path, reason: "truncated gzip stream: compressed data ends after \(total) bytes before the end marker")
                    }
                    continue // output full; grow and go on
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw CrossbarError.file(path: path, reason: "corrupt gzip data (\(message))")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Compresses `data` into one gzip member (level 6). Used to write compressed dataset
    /// files and test fixtures.
    public static func compress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper; memLevel 8 is zlib's default.
        let initStatus = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                       zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "deflateInit2 failed (\(initStatus))")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(data.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        var input = data
        let count = input.count
        let produced: Int = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(bound)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish (\(status)) despite deflateBound")
                return bound - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}
