import CrossbarFoundation

extension PulsedDeviceArray {
    /// Saves every per-device buffer (weights and device-to-device parameters), the flags of
    /// write noise still to be drawn (`pending_write_noise`, one byte per device) and the event
    /// counter. Saving changes nothing: pending write noise stays pending, so a run that saves
    /// continues exactly like one that does not.
    public func saveState(to archive: inout StateArchive, prefix: String) {
        for (name, buffer) in namedBuffers {
            archive.put(prefix + name, UnsafeBufferPointer(start: buffer.pointer, count: buffer.count))
        }
        archive.put(prefix + "events", eventCounter)
        if let dirty {
            archive.put(prefix + "pending_write_noise", UnsafeBufferPointer(start: UnsafePointer(dirty), count: count))
        }
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        for (name, buffer) in namedBuffers {
            try archive.read(prefix + name, into: UnsafeMutableBufferPointer(start: buffer.pointer, count: buffer.count))
        }
        eventCounter = try archive.word(prefix + "events")
        if let dirty {
            try archive.read(prefix + "pending_write_noise", into: UnsafeMutableBufferPointer(start: dirty, count: count))
            hasPendingWriteNoise = UnsafeBufferPointer(start: dirty, count: count).contains { $0 != 0 }
        } else {
            hasPendingWriteNoise = false
        }
    }

    /// All per-device buffers by name.
    var namedBuffers: [(String, DeviceBuffer)] {
        var list: [(String, DeviceBuffer)] = [
            ("hidden", hidden), ("step_up", stepUp), ("step_down", stepDown), ("slope_up", slopeUp),
            ("slope_down", slopeDown), ("b_max", bMax), ("b_min", bMin), ("reset_bias", resetBias),
        ]
        if let apparent { list.append(("apparent", apparent)) }
        if let reference { list.append(("reference", reference)) }
        if let powGammaUp { list.append(("pow_gamma_up", powGammaUp)) }
        if let powGammaDown { list.append(("pow_gamma_down", powGammaDown)) }
        if let decay { list.append(("decay", decay)) }
        if let diffusionRate { list.append(("diffusion_rate", diffusionRate)) }
        return list
    }
}

extension PulsedUpdateEngine {
    /// Saves the sample counter (the position of all pulse and noise streams), the pulse
    /// counters and the per-device counts.
    public func saveState(to archive: inout StateArchive, prefix: String) {
        archive.put(prefix + "samples", words: [sampleCounter, counters.up, counters.down, counters.updates])
        if let u = perDeviceUp, let d = perDeviceDown {
            let n = rows * cols
            archive.put(prefix + "per_device", words: (0..<n).map { UInt64(u[$0]) << 32 | UInt64(d[$0]) })
        }
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        let w = try archive.words(prefix + "samples")
        guard w.count == 4 else { throw archive.wrongSize(prefix + "samples", 4, w.count) }
        sampleCounter = w[0]
        counters = PulseCounters()
        counters.up = w[1]; counters.down = w[2]; counters.updates = w[3]
        if let u = perDeviceUp, let d = perDeviceDown {
            let v = try archive.words(prefix + "per_device")
            guard v.count == rows * cols else { throw archive.wrongSize(prefix + "per_device", rows * cols, v.count) }
            for k in 0..<v.count { u[k] = UInt32(v[k] >> 32); d[k] = UInt32(truncatingIfNeeded: v[k]) }
        }
    }
}
