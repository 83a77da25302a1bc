import CrossbarFoundation

extension Dataset {
    /// A 64-bit content digest of the samples, labels, shape and class count, as 16 hex digits:
    /// equal datasets have equal digests, and any changed value, label, order or size changes it
    /// (up to the 2⁻⁶⁴ chance of a collision). Used to check that a resumed run trains on the
    /// same data as the run that wrote the checkpoint.
    ///
    /// Not cryptographic: every 64-bit word of the bit patterns (two values) is folded into a
    /// running state with SplitMix64's finaliser; digesting all of Fashion-MNIST (55 M values)
    /// takes about a tenth of a second.
    public var digest: String {
        var h = SplitMix64.mix(0x6461_7461_7365_7421 ^ UInt64(count))
        @inline(__always) func fold(_ w: UInt64) { h = SplitMix64.mix(h &+ w &* 0x9E37_79B9_7F4A_7C15) }
        fold(UInt64(shape.channels)); fold(UInt64(shape.height)); fold(UInt64(shape.width)); fold(UInt64(classCount))
        images.withUnsafeBufferPointer { v in
            var k = 0
            while k + 1 < v.count {
                fold(UInt64(v[k].bitPattern) | UInt64(v[k + 1].bitPattern) << 32)
                k += 2
            }
            if k < v.count { fold(UInt64(v[k].bitPattern)) }
        }
        labels.withUnsafeBufferPointer { l in
            for x in l { fold(UInt64(UInt32(bitPattern: x))) }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
