import CZlib
import Foundation
import CrossbarFoundation

/// gzip (RFC 1952) decompression and compression through the system zlib.
///
/// ``decompressIfNeeded(_:path:)`` inflates data that starts with the gzip magic bytes
/// 0x1f 0x8b (zlib auto-detects the gzip/zlib wrapper with windowBits 15 + 32; concatenated
/// gzip members are all decoded) and passes anything else through unchanged. Decompression is
/// always bounded: ``decompress(_:path:limit:)`` refuses streams that expand beyond a limit,
/// and the IDX reader uses ``inflate(_:path:keep:limit:)`` to decompress only as much as a
/// checked header can need. Corrupt or truncated streams throw
/// `CrossbarError/file(path:reason:)` naming the file.
public enum Gzip {
    /// True when `data` starts with the gzip magic bytes 0x1f 0x8b.
    public static func isGzip(_ data: [UInt8]) -> Bool {
        data.count >= 2 && data[0] == 0x1F && data[1] == 0x8B
    }

    /// `data` inflated when it is gzip, unchanged otherwise. `path` names the file in errors.
    public static func decompressIfNeeded(_ data: [UInt8], path: String) throws -> [UInt8] {
        isGzip(data) ? try decompress(data, path: path) : data
    }

    /// The most bytes ``decompress(_:path:limit:)`` produces unless told otherwise:
    /// 2³¹ + 1024 (an IDX payload of at most ``IDX/maximumPayloadBytes`` plus the longest header).
    public static let defaultOutputLimit = IDX.maximumPayloadBytes + IDX.maximumHeaderBytes

    /// The result of a bounded inflate (``inflate(_:path:keep:limit:)``).
    public struct Inflated: Sendable, Equatable {
        /// The first `min(total, keep)` decompressed bytes.
        public var bytes: [UInt8]
        /// Decompressed bytes produced, in bytes: the exact decompressed size when `complete`;
        /// otherwise decompression stopped at `limit + 1` bytes and the stream holds more.
        public var total: Int
        /// True when the whole stream was decompressed (every gzip member to its end marker).
        public var complete: Bool
    }

    /// Inflates a gzip (or zlib) stream; concatenated gzip members are decoded one after the
    /// other, as `gunzip` does. A stream that decompresses to more than `limit` bytes
    /// (default ``defaultOutputLimit``, 2 GiB + 1 KiB) is refused naming the file and the limit;
    /// memory use is bounded by the bytes actually produced, never by the size the gzip
    /// trailer claims.
    public static func decompress(_ data: [UInt8], path: String, limit: Int = defaultOutputLimit) throws -> [UInt8] {
        let result = try inflate(data, path: path, keep: limit, limit: limit)
        guard result.complete, result.total <= limit else {
            throw CrossbarError.file(path: path, reason: "gzip data decompresses to more than \(limit) bytes (the most this reader accepts); decompression stopped there")
        }
        return result.bytes
    }

    /// Inflates at most `limit + 1` bytes of a gzip (or zlib) stream and keeps the first `keep`
    /// of them (both in bytes, `0 ≤ keep`, `0 ≤ limit`); the rest is only counted, in a fixed
    /// 64 KiB scratch buffer. Decompression stops as soon as more than `limit` bytes arrive
    /// (`complete` false), so neither memory nor time grows with what a hostile stream could
    /// expand to. Corrupt or truncated streams (before the stop) throw
    /// `CrossbarError/file(path:reason:)` naming the file.
    public static func inflate(_ data: [UInt8], path: String, keep: Int, limit: Int) throws -> Inflated {
        precondition(keep >= 0 && limit >= 0, "Gzip.inflate: keep \(keep) and limit \(limit) must be ≥ 0")
        guard !data.isEmpty else { throw CrossbarError.file(path: path, reason: "empty gzip file") }
        let keep = min(keep, limit)
        // The first capacity comes from the compressed size, never from the size the gzip
        // trailer claims (a hostile trailer could claim 4 GiB); growth doubles, so memory stays
        // within twice the bytes actually produced (and within `keep`).
        var output = [UInt8](repeating: 0, count: min(max(data.count * 4, 1 << 16), keep))
        var scratch: [UInt8] = []
        var kept = 0
        var total = 0
        var complete = false
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CrossbarError.file(path: path, reason: "zlib could not start inflating (out of memory?)")
        }
        defer { inflateEnd(&stream) }
        var input = data
        let inputCount = input.count
        try input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inputCount)
            while total <= limit {
                // Room for at most `limit + 1 - total` more bytes: one byte past the limit tells
                // "longer than allowed" from "exactly the limit".
                let wanted = min(limit + 1 - total, Int(UInt32.max))
                let toOutput = kept < keep
                if toOutput && kept == output.count {
                    output.append(contentsOf: repeatElement(0, count: min(max(output.count, 64), keep - kept)))
                }
                if !toOutput && scratch.isEmpty { scratch = [UInt8](repeating: 0, count: 1 << 16) }
                let status: Int32
                let made: Int
                if toOutput {
                    let room = min(output.count - kept, wanted)
                    (status, made) = output.withUnsafeMutableBufferPointer { out in
                        Self.step(&stream, into: out.baseAddress! + kept, room: room)
                    }
                    kept += made
                } else {
                    let room = min(scratch.count, wanted)
                    (status, made) = scratch.withUnsafeMutableBufferPointer { out in
                        Self.step(&stream, into: out.baseAddress!, room: room)
                    }
                }
                total += made
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow (skip zero padding some tools append).
                    var rest = Int(stream.avail_in)
                    while rest > 0 && stream.next_in.pointee == 0 {
                        stream.next_in += 1
                        rest -= 1
                    }
                    if rest == 0 {
                        complete = true
                        return
                    }
                    stream.avail_in = UInt32(rest)
                    guard inflateReset(&stream) == Z_OK else {
                        throw CrossbarError.file(path: path, reason: "corrupt gzip data after member end")
                    }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // The output always has room, so no progress means the input ran out.
                    if stream.avail_in == 0 {
                        throw CrossbarError.file(path: path, reason: "truncated gzip stream: compressed data ends after \(inputCount) bytes before the end marker")
                    }
                    throw CrossbarError.file(path: path, reason: "corrupt gzip data (zlib makes no progress)")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw CrossbarError.file(path: path, reason: "corrupt gzip data (\(message))")
                }
            }
        }
        output.removeSubrange(kept...)
        return Inflated(bytes: output, total: total, complete: complete)
    }

    /// One `inflate` call writing at most `room` (≥ 1) bytes at `destination`; returns zlib's
    /// status and the bytes produced.
    private static func step(_ stream: inout z_stream, into destination: UnsafeMutablePointer<UInt8>, room: Int) -> (Int32, Int) {
        stream.next_out = destination
        stream.avail_out = UInt32(room)
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        return (status, room - Int(stream.avail_out))
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
