import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms

/// Creates the analog tile of a layer: `make(outSize, inSize, path)` returns a tile with
/// `outSize` rows and `inSize` columns whose random streams derive from `path` (e.g.
/// `"layer0"`). Any `TileCore` plugs in this way (floating point, pulsed devices, training
/// algorithms), configured however the caller likes.
public struct TileFactory {
    public let make: (_ outSize: Int, _ inSize: Int, _ path: String) throws -> AnalogTile

    public init(_ make: @escaping (_ outSize: Int, _ inSize: Int, _ path: String) throws -> AnalogTile) {
        self.make = make
    }

    /// A tile of `outSize` × `inSize` for `path`; checks that the factory kept the size.
    public func callAsFunction(outSize: Int, inSize: Int, path: String) throws -> AnalogTile {
        let tile = try make(outSize, inSize, path)
        guard tile.outSize == outSize, tile.inSize == inSize else {
            throw CrossbarError.shapeMismatch(what: "tile created for '\(path)'", expected: "\(outSize)×\(inSize)",
                                              got: "\(tile.outSize)×\(tile.inSize)")
        }
        return tile
    }

    /// Exact floating-point tiles (`FloatingPointCore`: one GEMM per mini-batch update) with
    /// the given forward/backward IO (default perfect: exact MVMs). The accuracy reference.
    public static func floatingPoint(seeds: SeedSet, forward: IOParameters = .perfect,
                                     backward: IOParameters = .perfect) -> TileFactory {
        TileFactory { outSize, inSize, path in
            try AnalogTile(core: FloatingPointCore(outSize: outSize, inSize: inSize),
                           forward: forward, backward: backward, seeds: seeds, path: path)
        }
    }
}

extension TileFactory {
    /// Tiles built from `configuration` (any device, algorithm or `fp`).
    public static func configured(_ configuration: TileConfiguration, seeds: SeedSet) -> TileFactory {
        TileFactory { outSize, inSize, path in
            try AnalogTile(outSize: outSize, inSize: inSize, configuration: configuration, seeds: seeds, path: path)
        }
    }
}
