/// Inspection: the device arrays under a tile.
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
}
