import CrossbarFoundation
import CrossbarDevices
import CrossbarTile

/// Builds the core of a training-algorithm compound.
enum CompoundCores {
    static func make(_ c: CompoundConfig, update: UpdateParameters, outSize: Int, inSize: Int,
                     seeds: SeedSet, path: String) throws -> TileCore {
        if c.kind == .transfer && !c.noSelfTransfer {
            throw CrossbarError.invalidParameter(field: "no_self_transfer", value: "false",
                                                 allowed: "true (a self-transfer of the last device is not supported)")
        }
        switch c.kind {
        case .transfer:
            return TikiTakaCore(config: c, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
        case .buffered:
            return BufferedTransferCore(config: c, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
        case .chopped:
            return ChoppedTransferCore(config: c, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
        case .dynamic:
            return DynamicTransferCore(config: c, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
        case .mixedPrecision:
            return MixedPrecisionCore(config: c, update: update, outSize: outSize, inSize: inSize, seeds: seeds, path: path)
        }
    }
}
