import CPulseKernels
extension PulsedDeviceArray {
    /// The weights forward/backward read, row-major: the read-visible weights (hidden + write
    /// noise), with pending write noise drawn first.
    package func readWeights() -> UnsafePointer<Float> {
        materializeWriteNoise()
        return UnsafePointer((apparent ?? hidden).pointer)
    }

    /// The read-visible weights, row-major [rows × cols] (pending write noise drawn first).
    public func visibleWeights() -> [Float] {
        materializeWriteNoise()
        return (apparent ?? hidden).array
    }

    /// The hidden (persistent) weights, without write noise.
    public func hiddenWeights() -> [Float] { hidden.array }

    /// Draws the write noise of every device pulsed since its last draw (docs/devices.md, "Write noise":
    /// read-visible w = hidden + write_noise_std·dw_min·ξ, redrawn after every pulse).
    public func materializeWriteNoise() {
        guard hasPendingWriteNoise, let dirty, let apparent else { return }
        hasPendingWriteNoise = false
        let h = hidden.pointer, a = apparent.pointer, wn = writeNoise
        let n = count
        // In the C kernels (the variate loop inlined there): clean stretches skipped 32 flags at
        // a time, the flags in between visited in index order.
        withEventNoise { noise in
            cpk_materialize_write_noise(dirty, h, a, Int64(n), wn, &noise.state)
        }
    }

    /// Draws the pending write noise of column `j` only (O(rows); for transfer reads).
    /// Other columns stay pending.
    public func materializeWriteNoise(column j: Int) {
        guard hasPendingWriteNoise, let dirty, let apparent else { return }
        let h = hidden.pointer, a = apparent.pointer, wn = writeNoise
        withEventNoise { noise in
            var k = j
            for _ in 0..<rows {
                if dirty[k] != 0 {
                    a[k] = h[k] + wn * noise.gaussian()
                    dirty[k] = 0
                }
                k += cols
            }
        }
    }

    /// Draws the pending write noise of row `i` only (O(cols); for row transfer reads).
    public func materializeWriteNoise(row i: Int) {
        guard hasPendingWriteNoise, let dirty, let apparent else { return }
        let h = hidden.pointer, a = apparent.pointer, wn = writeNoise
        withEventNoise { noise in
            for k in (i * cols)..<((i + 1) * cols) where dirty[k] != 0 {
                a[k] = h[k] + wn * noise.gaussian()
                dirty[k] = 0
            }
        }
    }

    /// Programs the weights exactly, each clipped so that its conductance g = w + ref stays
    /// within the device's bounds (the intended behaviour of docs/devices.md, "Deviations from the reference simulator"; the reference
    /// simulator clips the visible w against the conductance bounds). Write noise is drawn
    /// afterwards if `apply_write_noise_on_set`.
    package func setWeights(_ w: UnsafePointer<Float>) {
        for k in 0..<count { hidden[k] = clipped(k, w[k]) }
        refreshAllWriteNoise(draw: config.applyWriteNoiseOnSet)
    }

    /// Clip of visible weight `w` of device k to its conductance bounds.
    @inline(__always)
    func clipped(_ k: Int, _ w: Float) -> Float {
        let r: Float = reference?[k] ?? 0
        return min(max(w + r, bMin[k]), bMax[k]) - r
    }

    /// Redraws the write noise of every device now (`draw`), or makes the read-visible
    /// weights equal the hidden ones.
    package func refreshAllWriteNoise(draw: Bool) {
        guard let apparent, let dirty else { return }
        dirty.update(repeating: 0, count: count)
        hasPendingWriteNoise = false
        if draw {
            let h = hidden.pointer, a = apparent.pointer, wn = writeNoise
            withEventNoise { noise in
                for k in 0..<count { a[k] = h[k] + wn * noise.gaussian() }
            }
        } else {
            apparent.copy(from: hidden)
        }
    }

    /// Floating-point change `hidden[k] += delta(k)` (pulse type `none_with_device`),
    /// followed by clipping and a write-noise redraw of every device.
    func addExact(_ delta: (Int) -> Float) {
        for k in 0..<count { hidden[k] = clipped(k, hidden[k] + delta(k)) }
        refreshAllWriteNoise(draw: true)
    }
}
