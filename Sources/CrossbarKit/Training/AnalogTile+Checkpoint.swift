extension AnalogTile {
    /// The pulsed device arrays of this tile's core, with the archive prefix (relative to the
    /// tile's) under which the core saves each: "" for in-memory SGD, "A." and "C." (or
    /// "W0." …) for the transfer compounds, "W." for mixed precision; none for floating point.
    var deviceArrays: [(prefix: String, array: PulsedDeviceArray)] {
        switch core {
        case let c as PulsedCore: [("", c.array)]
        case let c as TransferCoreBase: c.arrays.map { ($0.name + ".", $0.array) }
        case let c as MixedPrecisionCore: [("W.", c.weightArray.array)]
        default: []
        }
    }

    /// Saves the complete tile state (``saveState(to:prefix:)``) without changing the run.
    ///
    /// `PulsedDeviceArray.saveState` draws the pending write noise of devices pulsed since
    /// their last read (spec §2.4, drawn lazily) and so advances the array's event stream: a run
    /// that saves a checkpoint would continue differently from one that does not (the A arrays
    /// of the transfer compounds are read only column by column, so they usually have pending
    /// write noise). This wrapper undoes that side effect and stores the state as it was before
    /// the save: the read-visible weights and event counter from before the draw, plus the
    /// pending-write-noise flags as the extra entry `<array>pending_write_noise` (one byte per
    /// device, 1 = pending), which ``loadCheckpointState(from:prefix:)`` restores.
    func saveCheckpointState(to archive: inout StateArchive, prefix: String) {
        struct Pending { let prefix: String; let array: PulsedDeviceArray; let flags: [UInt8]; let apparent: [Float]; let events: UInt64 }
        var pending: [Pending] = []
        for (p, a) in deviceArrays {
            guard a.hasPendingWriteNoise, let dirty = a.dirty, let apparent = a.apparent else { continue }
            pending.append(Pending(prefix: p, array: a, flags: Array(UnsafeBufferPointer(start: dirty, count: a.count)),
                                   apparent: apparent.array, events: a.eventCounter))
        }
        saveState(to: &archive, prefix: prefix)
        for s in pending {
            let a = s.array
            s.flags.withUnsafeBufferPointer { a.dirty!.update(from: $0.baseAddress!, count: a.count) }
            s.apparent.withUnsafeBufferPointer { a.apparent!.pointer.update(from: $0.baseAddress!, count: a.count) }
            a.eventCounter = s.events
            a.hasPendingWriteNoise = true
            let base = prefix + s.prefix
            precondition(archive.entries[base + "apparent"] != nil && archive.entries[base + "events"] != nil,
                         "checkpoint: device array entries of '\(base)' not where expected")
            archive.put(base + "apparent", s.apparent)
            archive.put(base + "events", s.events)
            archive.put(base + "pending_write_noise", bytes: s.flags)
        }
    }

    /// Restores what ``saveCheckpointState(to:prefix:)`` saved (``loadState(from:prefix:)``
    /// plus the pending-write-noise flags).
    func loadCheckpointState(from archive: StateArchive, prefix: String) throws {
        try loadState(from: archive, prefix: prefix)
        for (p, a) in deviceArrays {
            let key = prefix + p + "pending_write_noise"
            guard archive.entries[key] != nil else { continue }
            let flags = try archive.bytes(key)
            guard let dirty = a.dirty, flags.count == a.count else {
                throw archive.wrongSize(key, a.dirty == nil ? 0 : a.count, flags.count)
            }
            flags.withUnsafeBufferPointer { dirty.update(from: $0.baseAddress!, count: a.count) }
            a.hasPendingWriteNoise = flags.contains { $0 != 0 }
        }
    }
}
