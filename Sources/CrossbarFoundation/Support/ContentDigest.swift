import Crypto

/// SHA-256 digests (swift-crypto) as lowercase hex: the content-derived identifiers of
/// CrossbarKit — sweep point ids, run fingerprints, data-set digests. Not used for security.
public enum ContentDigest {
    /// The 32-byte SHA-256 digest of `bytes`.
    public static func sha256<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        Array(SHA256.hash(data: Array(bytes)))
    }

    /// The SHA-256 digest of `bytes` as 64 lowercase hex digits.
    public static func sha256Hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        hex(sha256(bytes))
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(2 * bytes.count)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
