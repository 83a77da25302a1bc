import CrossbarFoundation

/// The pulse types none and none_with_device (docs/devices.md, "The pulsed update"): the
/// rank-one update is applied exactly, without pulses — to the hidden weights by a
/// floating-point rank-one update (`none`), or device by device through the array's bounds
/// (`none_with_device`).
extension PulsedUpdateEngine {
    func exactUpdate(x: PulseSource, d: PulseSource, eta: Float, clip: Bool,
                     xSigns: UnsafePointer<Int8>?, dSigns: UnsafePointer<Int8>?, sample: UInt64) {
        let buf = chopped.ensure(rows + cols)
        let xv = buf, dv = buf + cols
        for j in 0..<cols { xv[j] = x.value(at: j) * ((xSigns?[j] ?? 1) < 0 ? -1 : 1) }
        for i in 0..<rows { dv[i] = d.value(at: i) * ((dSigns?[i] ?? 1) < 0 ? -1 : 1) }
        let h = array.hidden.pointer
        if clip {
            array.addExact { k in -eta * dv[k / self.cols] * xv[k % self.cols] }
        } else {
            DenseKernels.rankOneUpdate(weights: h, out: rows, in: cols, x: xv, d: dv, alpha: -eta)
            array.refreshAllWriteNoise(draw: false)
        }
    }
}
