import Foundation

/// A named collection of binary arrays: the complete mutable state of a simulation for
/// checkpoints. Entries are float, 64-bit unsigned or byte arrays, keyed by dotted paths
/// such as `"layer0.A.hidden"`. The binary form (``encoded()``) is little-endian with a
/// magic number, a version, per-entry lengths and an FNV-1a checksum of the payload.
public struct StateArchive: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        case floats([Float])
        case words([UInt64])
        case bytes([UInt8])
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    package mutating func put(_ key: String, _ values: UnsafeBufferPointer<Float>) { entries[key] = .floats(Array(values)) }
    public mutating func put(_ key: String, _ values: [Float]) { entries[key] = .floats(values) }
    public mutating func put(_ key: String, words: [UInt64]) { entries[key] = .words(words) }
    public mutating func put(_ key: String, bytes: [UInt8]) { entries[key] = .bytes(bytes) }
    public mutating func put(_ key: String, _ value: UInt64) { entries[key] = .words([value]) }
    public mutating func put(_ key: String, _ value: Float) { entries[key] = .floats([value]) }
    package mutating func put(_ key: String, _ values: UnsafeBufferPointer<UInt8>) { entries[key] = .bytes(Array(values)) }

    func missing(_ key: String) -> CrossbarError {
        .message("checkpoint: entry '\(key)' is missing (the checkpoint belongs to another configuration or is damaged)")
    }

    package func wrongSize(_ key: String, _ expected: Int, _ got: Int) -> CrossbarError {
        .message("checkpoint: entry '\(key)' has \(got) values, expected \(expected) (the checkpoint belongs to another configuration)")
    }

    /// Word `value` of entry `key` as an integer in `range` (an index or a count the state
    /// depends on); a value outside it is refused naming the entry, the value and the range.
    package func integer(_ value: UInt64, of key: String, in range: ClosedRange<Int>) throws -> Int {
        guard value >= UInt64(max(range.lowerBound, 0)), value <= UInt64(max(range.upperBound, 0)), range.contains(Int(value)) else {
            throw CrossbarError.message("checkpoint: entry '\(key)' holds \(value), allowed \(range.lowerBound)…\(range.upperBound) (the checkpoint is damaged or belongs to another configuration)")
        }
        return Int(value)
    }

    public func floats(_ key: String) throws -> [Float] {
        guard case let .floats(v)? = entries[key] else { throw missing(key) }
        return v
    }

    public func words(_ key: String) throws -> [UInt64] {
        guard case let .words(v)? = entries[key] else { throw missing(key) }
        return v
    }

    public func bytes(_ key: String) throws -> [UInt8] {
        guard case let .bytes(v)? = entries[key] else { throw missing(key) }
        return v
    }

    public func word(_ key: String) throws -> UInt64 {
        let v = try words(key)
        guard v.count == 1 else { throw wrongSize(key, 1, v.count) }
        return v[0]
    }

    public func float(_ key: String) throws -> Float {
        let v = try floats(key)
        guard v.count == 1 else { throw wrongSize(key, 1, v.count) }
        return v[0]
    }

    /// Copies entry `key` into `buffer`, which must have exactly its size.
    package func read(_ key: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let v = try floats(key)
        guard v.count == buffer.count else { throw wrongSize(key, buffer.count, v.count) }
        _ = buffer.update(from: v)
    }

    package func read(_ key: String, into buffer: UnsafeMutableBufferPointer<UInt8>) throws {
        let v = try bytes(key)
        guard v.count == buffer.count else { throw wrongSize(key, buffer.count, v.count) }
        _ = buffer.update(from: v)
    }

    // MARK: Binary form

    static let magic: [UInt8] = Array("XBARCKPT".utf8)
    static let version: UInt32 = 1

    /// The binary form: magic, version, entry count, entries sorted by key, checksum.
    public func encoded() -> Data {
        var out = Data()
        out.append(contentsOf: Self.magic)
        var payload = Data()
        Self.append(UInt32(entries.count), to: &payload)
        for key in entries.keys.sorted() {
            let k = Array(key.utf8)
            Self.append(UInt32(k.count), to: &payload)
            payload.append(contentsOf: k)
            switch entries[key]! {
            case let .floats(v):
                payload.append(1)
                Self.append(UInt64(v.count), to: &payload)
                v.withUnsafeBytes { payload.append(contentsOf: $0) }
            case let .words(v):
                payload.append(2)
                Self.append(UInt64(v.count), to: &payload)
                v.withUnsafeBytes { payload.append(contentsOf: $0) }
            case let .bytes(v):
                payload.append(3)
                Self.append(UInt64(v.count), to: &payload)
                payload.append(contentsOf: v)
            }
        }
        Self.append(Self.version, to: &out)
        Self.append(UInt64(payload.count), to: &out)
        out.append(payload)
        Self.append(Self.fnv1a(payload), to: &out)
        return out
    }

    /// Parses the binary form; damaged or truncated data is refused with a clear message.
    public init(decoding data: Data, path: String = "checkpoint") throws {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> CrossbarError { .file(path: path, reason: why) }
        guard bytes.count >= 8 + 4 + 8 + 8, Array(bytes[0..<8]) == Self.magic else {
            throw fail("not a CrossbarKit checkpoint (bad magic number)")
        }
        var pos = 8
        // Fields are read up to `limit`: the file's end, then the payload's end.
        var limit = bytes.count
        func u32() throws -> UInt32 {
            guard pos + 4 <= limit else { throw fail("truncated") }
            defer { pos += 4 }
            return bytes[pos..<(pos + 4)].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        }
        func u64() throws -> UInt64 {
            guard pos + 8 <= limit else { throw fail("truncated") }
            defer { pos += 8 }
            return bytes[pos..<(pos + 8)].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
        let version = try u32()
        guard version == Self.version else { throw fail("unsupported checkpoint version \(version)") }
        // Lengths are 64-bit in the file: compared with the bytes present before any
        // conversion or arithmetic, so a damaged length is refused, never trusted.
        let rawLength = try u64()
        guard rawLength >= 4, rawLength == UInt64(bytes.count - pos - 8) else {
            throw fail("truncated or damaged (payload length \(rawLength), file size \(bytes.count))")
        }
        let length = Int(rawLength)
        let payload = Data(bytes[pos..<(pos + length)])
        let payloadStart = pos
        pos += length
        let checksum = try u64()
        guard checksum == Self.fnv1a(payload) else { throw fail("damaged (checksum mismatch)") }
        pos = payloadStart
        let payloadEnd = payloadStart + length
        limit = payloadEnd
        let count = Int(try u32())
        for index in 0..<count {
            let klen = Int(try u32())
            guard klen <= payloadEnd - pos - 1 else { throw fail("truncated (entry \(index + 1) of \(count): key of \(klen) bytes)") }
            let key = String(decoding: bytes[pos..<(pos + klen)], as: UTF8.self)
            pos += klen
            let tag = bytes[pos]
            pos += 1
            let sizes: [UInt8: (name: String, size: Int)] = [1: ("float", 4), 2: ("64-bit word", 8), 3: ("byte", 1)]
            guard let element = sizes[tag] else { throw fail("damaged (unknown entry type \(tag) of entry '\(key)'; allowed: 1, 2, 3)") }
            let rawCount = try u64()
            let room = payloadEnd - pos
            guard rawCount <= UInt64(room / element.size) else {
                throw fail("truncated (entry '\(key)' claims \(rawCount) \(element.name) values, \(room) bytes remain)")
            }
            let n = Int(rawCount)
            let end = pos + element.size * n
            switch tag {
            case 1:
                var v = [Float](repeating: 0, count: n)
                v.withUnsafeMutableBytes { $0.copyBytes(from: bytes[pos..<end]) }
                entries[key] = .floats(v)
            case 2:
                var v = [UInt64](repeating: 0, count: n)
                v.withUnsafeMutableBytes { $0.copyBytes(from: bytes[pos..<end]) }
                entries[key] = .words(v)
            default:
                entries[key] = .bytes(Array(bytes[pos..<end]))
            }
            pos = end
        }
    }

    static func append<T: FixedWidthInteger>(_ v: T, to data: inout Data) {
        withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) }
    }

    /// `data` with the payload length and the checksum rewritten to match its bytes (nil when
    /// it does not start with the magic number and a version): lets fuzzing reach the entries
    /// instead of stopping at the checksum.
    package static func withValidFraming(_ data: Data) -> Data? {
        var bytes = [UInt8](data)
        guard bytes.count >= 8 + 4 + 8 + 8, Array(bytes[0..<8]) == magic else { return nil }
        let length = bytes.count - 28
        withUnsafeBytes(of: UInt64(length).littleEndian) { bytes.replaceSubrange(12..<20, with: $0) }
        let checksum = fnv1a(Data(bytes[20..<(20 + length)]))
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((20 + length)..., with: $0) }
        return Data(bytes)
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
