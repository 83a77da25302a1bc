extension PulsedDeviceArray {
    /// True when `postUpdateStep` changes anything (decay or diffusion configured).
    public var hasRetentionDynamics: Bool { decay != nil || diffusionRate != nil }

    /// Diffusion and decay after an optimizer step (docs/devices.md, "Decay, diffusion, reset"): w ← clip(w + ρ·ξ), then
    /// w ← clip((w − r)·δ + r) with reset value r and retention factor δ = 1 − 1/τ.
    /// Reference devices decay their conductance g = w + ref toward the reset value (which
    /// includes a subtracted symmetry point), i.e. the visible w toward r − ref — consistent
    /// with ``resetColumn(_:probability:)`` (the intended behaviour of docs/devices.md, "Deviations from the reference simulator"; the
    /// reference simulator decays the visible w toward r).
    /// Write noise is redrawn afterwards for all devices.
    public func postUpdateStep() {
        guard hasRetentionDynamics else { return }
        if let rate = diffusionRate {
            withEventNoise { noise in
                for k in 0..<count { hidden[k] = clipped(k, hidden[k] + rate[k] * noise.gaussian()) }
            }
        }
        if let decay {
            for k in 0..<count {
                let r = resetBias[k] - (reference?[k] ?? 0)
                hidden[k] = clipped(k, (hidden[k] - r) * decay[k] + r)
            }
        }
        refreshAllWriteNoise(draw: true)
    }

    /// Resets the devices of column `j`, each with probability `probability`, to its reset
    /// value plus reset_std noise (docs/devices.md, "Decay, diffusion, reset"), clipped to its bounds. The reset value of
    /// reference devices includes the subtracted symmetry point (in conductance units), so the
    /// visible target is reset − ref (the intended behaviour of docs/devices.md, "Deviations from the reference simulator").
    public func resetColumn(_ j: Int, probability: Float) {
        reset(indices: (0..<rows).lazy.map { $0 * self.cols + j }, probability: probability)
    }

    /// Resets the devices of row `i` like ``resetColumn(_:probability:)``.
    public func resetRow(_ i: Int, probability: Float) {
        reset(indices: (0..<cols).lazy.map { i * self.cols + $0 }, probability: probability)
    }

    private func reset<S: Sequence<Int>>(indices: S, probability: Float) {
        withEventNoise { noise in
            for k in indices {
                if probability < 1 && noise.uniform() >= probability { continue }
                let r: Float = reference?[k] ?? 0
                let target = resetBias[k] + config.resetStd * noise.gaussian()
                hidden[k] = clipped(k, target - r)
                if let dirty { dirty[k] = 1; hasPendingWriteNoise = true }
            }
        }
    }
}
