import CrossbarFoundation
import CrossbarTile

extension AnalogTile {
    /// A tile of `outSize` × `inSize` built from a configuration: its device or training
    /// algorithm, forward/backward IO and update parameters. Random streams derive from
    /// `seeds` and `path` (device-to-device draws from the device's `construction_seed` when
    /// that is non-zero).
    public convenience init(outSize: Int, inSize: Int, configuration: TileConfiguration,
                            seeds: SeedSet, path: String) throws {
        guard outSize > 0, inSize > 0 else {
            throw CrossbarError.shapeMismatch(what: "tile '\(path)'", expected: "at least 1×1", got: "\(outSize)×\(inSize)")
        }
        try configuration.validate()
        let core = try Self.makeCore(outSize: outSize, inSize: inSize, configuration: configuration, seeds: seeds, path: path)
        try self.init(core: core, forward: configuration.forward, backward: configuration.backward, seeds: seeds, path: path)
    }

    /// The construction generator of the device at `path`: from `constructionSeed` when it is
    /// non-zero (d2d draws independent of the run's master seed), else from the master seed.
    package static func constructionGenerator(constructionSeed: UInt64, seeds: SeedSet, path: String) -> Xoshiro256 {
        if constructionSeed != 0 {
            return StreamKey(masterSeed: constructionSeed, stream: .construction, path: path).generator
        }
        return seeds.key(.construction, path).generator
    }

    static func makeCore(outSize: Int, inSize: Int, configuration c: TileConfiguration, seeds: SeedSet,
                         path: String) throws -> TileCore {
        switch c.device {
        case let .single(device):
            if !device.model.isPulsed { return FloatingPointCore(outSize: outSize, inSize: inSize) }
            var construction = constructionGenerator(constructionSeed: device.constructionSeed, seeds: seeds, path: path)
            return PulsedCore(device: device, parameters: c.update, outSize: outSize, inSize: inSize,
                              construction: &construction, pulseKey: seeds.key(.pulses, path),
                              noiseKey: seeds.key(.cycleNoise, path))
        case let .compound(compound):
            return try CompoundCores.make(compound, update: c.update, outSize: outSize, inSize: inSize,
                                          seeds: seeds, path: path)
        }
    }

    /// Saves the tile: its core and the positions of its MVM noise streams.
    public func saveState(to archive: inout StateArchive, prefix: String) {
        core.saveState(to: &archive, prefix: prefix)
        archive.put(prefix + "mvm", words: [forwardMVM.callCount, backwardMVM.callCount])
        archive.put(prefix + "mvm_running_abs_max", [forwardMVM.runningAbsMax, backwardMVM.runningAbsMax])
    }

    public func loadState(from archive: StateArchive, prefix: String) throws {
        try core.loadState(from: archive, prefix: prefix)
        let w = try archive.words(prefix + "mvm")
        let f = try archive.floats(prefix + "mvm_running_abs_max")
        guard w.count == 2, f.count == 2 else { throw archive.wrongSize(prefix + "mvm", 2, w.count) }
        forwardMVM.callCount = w[0]
        backwardMVM.callCount = w[1]
        forwardMVM.runningAbsMax = f[0]
        backwardMVM.runningAbsMax = f[1]
    }
}
