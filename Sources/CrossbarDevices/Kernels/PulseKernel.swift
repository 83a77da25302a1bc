import CrossbarFoundation

/// The per-pulse device equations of one device model (docs/devices.md, "Device models"), operating directly on a
/// ``PulsedDeviceArray``'s buffers. `apply` gives device k `count` ≥ 1 consecutive pulses in
/// one direction (all pulses of one element within one sample have the same sign, docs/devices.md, "The pulsed update"),
/// clipping to the device bounds after every pulse, and marks the element's read-visible
/// write noise for redrawing (``PulsedDeviceArray/materializeWriteNoise()``): the redraw
/// happens at the next read, which is distributionally identical to redrawing at every pulse
/// because the read-visible value is frozen between pulses and only the last draw before a
/// read is ever observed.
protocol PulseKernel {
    /// `down` = the weight decreases (a "down" pulse, docs/devices.md, "The pulsed update" sign s > 0).
    func apply(_ k: Int, count: Int, down: Bool, _ g: inout NoiseSource)
    /// The noise-free single-pulse change of device k at visible weight `w` (for symmetry
    /// points and response curves).
    func meanStep(_ k: Int, at w: Float, down: Bool) -> Float
    /// One pulse each to devices base + columns[q], q < count (rows firing in one slot).
    func applySingles(base: Int, columns: UnsafePointer<Int32>, negative: UnsafePointer<UInt8>, count: Int,
                      rowNegative: UInt8, noise: UnsafeMutablePointer<Float>,
                      _ g: inout NoiseSource) -> (up: UInt64, down: UInt64)
}

extension PulseKernel {
    /// One pulse each to devices base + columns[q], q < count; down when the column's
    /// negative flag equals the row's (docs/devices.md, "The pulsed update"). Returns (up, down) counts.
    @inline(__always)
    func applySingles(base: Int, columns: UnsafePointer<Int32>, negative: UnsafePointer<UInt8>, count: Int,
                      rowNegative: UInt8, noise: UnsafeMutablePointer<Float>,
                      _ g: inout NoiseSource) -> (up: UInt64, down: UInt64) {
        var down: UInt64 = 0
        for q in 0..<count {
            let isDown = rowNegative == negative[q]
            apply(base + Int(columns[q]), count: 1, down: isDown, &g)
            down &+= isDown ? 1 : 0
        }
        return (UInt64(count) &- down, down)
    }
}
