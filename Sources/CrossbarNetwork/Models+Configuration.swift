import CrossbarFoundation
import CrossbarAlgorithms

extension Models {
    /// The network `name` with every analog layer configured by `configuration` (any device,
    /// training algorithm or `fp`, docs/algorithms.md §6): tiles from ``TileFactory/configured(_:seeds:)``
    /// and the configuration's `mapping` (digital bias, weight scaling ω, docs/training.md, "Training semantics") for every
    /// layer. Invalid configurations are refused before anything is built.
    public static func build(_ name: ModelName, input: TensorShape, classes: Int, configuration: TileConfiguration,
                             seeds: SeedSet) throws -> Sequential {
        try configuration.validate()
        return try build(name, input: input, classes: classes, tiles: .configured(configuration, seeds: seeds), seeds: seeds,
                         options: configuration.mapping)
    }

    /// The fully connected network `input`-`hidden`-`classes` (sigmoid hidden layers) configured
    /// by `configuration`, like ``build(_:input:classes:configuration:seeds:)``.
    public static func fullyConnected(input: TensorShape, hidden: [Int], classes: Int, configuration: TileConfiguration,
                                      seeds: SeedSet) throws -> Sequential {
        try configuration.validate()
        return try fullyConnected(input: input, hidden: hidden, classes: classes, tiles: .configured(configuration, seeds: seeds),
                                  seeds: seeds, options: configuration.mapping)
    }
}
