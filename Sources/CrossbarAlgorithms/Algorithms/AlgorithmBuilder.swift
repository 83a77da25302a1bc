import CrossbarDevices
import CrossbarTile

/// Builds a tile configuration for an algorithm and a device, as the reference simulator's
/// `build_config(algorithm, device, io_parameters)` does (docs/algorithms.md §6.1), with the
/// fields of ``AlgorithmOptions`` that are set written over its values.
///
/// - sgd: one array, the main update `UpdateParameters()` (BL 31, update and BL management).
/// - mixed-precision: `MixedPrecisionCompound(device)` with its defaults.
/// - tiki-taka: `TransferCompound([device, device])`, fast_lr scaled by η.
/// - ttv2, c-ttv2: `ChoppedTransferCompound([device, weightDevice])` (ttv2 without choppers);
///   transfer reads with the forward IO but noise and bound management off; one-pulse writes.
/// - agad: `DynamicTransferCompound([device, weightDevice])`; transfer reads with the forward
///   IO as it is (management on); one-pulse writes with update and BL management.
public enum AlgorithmBuilder {
    /// - Parameters:
    ///   - algorithm: the training algorithm.
    ///   - device: the device of A (and of W for SGD and mixed precision).
    ///   - weightDevice: the device of W (C) for the transfer algorithms (default: `device`).
    ///   - io: forward, backward and transfer-read IO.
    ///   - options: settings written over build_config's (null fields keep its values).
    public static func configuration(_ algorithm: AlgorithmName, device: DeviceConfig, weightDevice: DeviceConfig? = nil,
                                     io: IOParameters, options: AlgorithmOptions = AlgorithmOptions()) -> TileConfiguration {
        var update = UpdateParameters()
        update.desiredBL = options.desiredBL ?? defaultDesiredBL(algorithm)
        let wDevice = weightDevice ?? device
        var managementOff = io
        managementOff.noiseManagement = .none
        managementOff.boundManagement = .none
        func compound() -> CompoundConfig {
            var c = CompoundConfig(algorithm: algorithm, devices: [device, wDevice])!
            c.transferForward = c.kind == .dynamic ? io : managementOff
            c.transferEvery = options.transferEvery ?? 1
            c.unitsInMbatch = false
            c.fastLR = options.fastLR ?? defaultFastLR(algorithm)
            return c
        }
        switch algorithm {
        case .fp:
            return .floatingPoint
        case .sgd:
            return TileConfiguration(forward: io, backward: io, update: update, device: .single(device))
        case .mixedPrecision:
            return TileConfiguration(forward: io, backward: io, update: update,
                                     device: .compound(CompoundConfig(kind: .mixedPrecision, devices: [device])))
        case .tikiTaka:
            var c = compound()
            c.scaleFastLR = true
            return TileConfiguration(forward: io, backward: io, update: update, device: .compound(c))
        case .ttv2, .cTTv2, .agad:
            var c = compound()
            c.autoScale = options.autoScale ?? algorithm.usesChoppers
            c.autoGranularity = options.autoGranularity ?? 0
            if algorithm.usesChoppers, let p = options.inChopProb { c.inChopProb = p }
            c.inChopRandom = options.inChopRandom ?? (algorithm == .cTTv2)
            if algorithm == .agad {
                c.tailWeightening = options.tailWeightening ?? 5
                c.transferUpdate.updateManagement = true
                c.transferUpdate.updateBLManagement = true
            }
            return TileConfiguration(forward: io, backward: io, update: update, device: .compound(c))
        }
    }

    /// `build_config`'s pulse-train length of the main update: 5 for A of TTv2, c-TTv2 and
    /// AGAD, 31 (the `UpdateParameters` default) otherwise.
    public static func defaultDesiredBL(_ algorithm: AlgorithmName) -> Int {
        switch algorithm {
        case .ttv2, .cTTv2, .agad: 5
        default: 31
        }
    }

    /// `build_config`'s fast learning rate: 0.1 for c-TTv2 and AGAD, 1 otherwise.
    public static func defaultFastLR(_ algorithm: AlgorithmName) -> Float {
        switch algorithm {
        case .cTTv2, .agad: 0.1
        default: 1
        }
    }
}
