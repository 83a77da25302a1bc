import CrossbarFoundation
import CrossbarAlgorithms

/// The networks CrossbarKit knows by name (the paper's benchmarks, docs/algorithms.md §6).
public enum ModelName: String, ConfigEnum, CustomStringConvertible {
    /// 784-256-128-10 fully connected with sigmoid hidden layers (the classic RPU benchmark,
    /// aihwkit's analog_training tutorial). Generalises to in-256-128-classes.
    case fc
    /// LeNet5 of aihwkit's example 04 (Gokmen et al. 2017): Conv(1→16, 5×5)-tanh-maxpool2 →
    /// Conv(16→32, 5×5)-tanh-maxpool2 → tanh → flatten (512) → FC 512→128-tanh → FC 128→10.
    case lenet5
    /// The character language model ``LSTMCharacterModel`` (2 analog LSTM layers of hidden size
    /// 64, dropout 0.2, an analog linear read-out; the reference's "LSTM2-64WP"). A sequence
    /// model: it is built by ``LSTMCharacterModel`` and trained on a character corpus, not by
    /// ``Models/build(_:input:classes:tiles:seeds:options:)``.
    case lstm

    /// Parses a model name; unknown names list the known ones.
    public init(parsing name: String) throws {
        guard let m = ModelName(rawValue: name.lowercased()) else {
            throw CrossbarError.unknownName(kind: "model", name: name, known: ModelName.allCases.map(\.rawValue))
        }
        self = m
    }

    public var description: String { rawValue }
}

/// Builds the named networks with analog layers from a ``TileFactory``. Layer i's tile gets the
/// path `"layer<i>"` (its random streams: initialization, construction, noise, pulses).
public enum Models {
    /// The network `name` for samples of shape `input` and `classes` outputs (logits).
    public static func build(_ name: ModelName, input: TensorShape, classes: Int, tiles: TileFactory, seeds: SeedSet,
                             options: AnalogLayerOptions = AnalogLayerOptions()) throws -> Sequential {
        switch name {
        case .fc: try fullyConnected(input: input, hidden: [256, 128], classes: classes, tiles: tiles, seeds: seeds, options: options)
        case .lenet5: try lenet5(input: input, classes: classes, tiles: tiles, seeds: seeds, options: options)
        case .lstm:
            throw CrossbarError.invalidParameter(field: "model", value: "lstm",
                                                 allowed: "fc or lenet5 for image classification (lstm is a character model: use LSTMCharacterModel)")
        }
    }

    /// [AnalogLinear → Sigmoid] per hidden size → AnalogLinear(classes), on the flattened
    /// input (an image batch is already laid out as flat rows, so no Flatten layer is needed
    /// and the tiles are layer0, layer2, layer4 as in aihwkit's AnalogSequential).
    public static func fullyConnected(input: TensorShape, hidden: [Int], classes: Int, tiles: TileFactory, seeds: SeedSet,
                                      options: AnalogLayerOptions = AnalogLayerOptions()) throws -> Sequential {
        try Check.atLeast(classes, 2, "classes")
        var b = Builder(input: TensorShape(features: input.count), tiles: tiles, seeds: seeds, options: options)
        for h in hidden {
            try b.linear(h)
            b.add(Sigmoid(shape: b.shape))
        }
        try b.linear(classes)
        return try Sequential(b.layers)
    }

    /// LeNet5 as in aihwkit's `04_lenet5_training.py` (channels 16, 32; hidden 128); the input
    /// needs at least 16×16 pixels (28×28 gives the 32·4·4 = 512 features of the original).
    public static func lenet5(input: TensorShape, classes: Int, tiles: TileFactory, seeds: SeedSet,
                              options: AnalogLayerOptions = AnalogLayerOptions()) throws -> Sequential {
        try Check.atLeast(classes, 2, "classes")
        guard input.height >= 16, input.width >= 16 else {
            throw CrossbarError.shapeMismatch(what: "lenet5 input", expected: "at least 16×16 pixels", got: "\(input)")
        }
        var b = Builder(input: input, tiles: tiles, seeds: seeds, options: options)
        try b.conv(16, kernel: 5)
        b.add(Tanh(shape: b.shape))
        try b.add(MaxPool2d(inputShape: b.shape, kernelSize: 2, field: "layer\(b.layers.count)"))
        try b.conv(32, kernel: 5)
        b.add(Tanh(shape: b.shape))
        try b.add(MaxPool2d(inputShape: b.shape, kernelSize: 2, field: "layer\(b.layers.count)"))
        b.add(Tanh(shape: b.shape))
        b.add(Flatten(inputShape: b.shape))
        try b.linear(128)
        b.add(Tanh(shape: b.shape))
        try b.linear(classes)
        return try Sequential(b.layers)
    }

    /// Appends layers while tracking the current shape and layer index.
    struct Builder {
        var layers: [any Layer] = []
        var shape: TensorShape
        let tiles: TileFactory
        let seeds: SeedSet
        let options: AnalogLayerOptions

        init(input: TensorShape, tiles: TileFactory, seeds: SeedSet, options: AnalogLayerOptions) {
            shape = input
            self.tiles = tiles
            self.seeds = seeds
            self.options = options
        }

        var nextPath: String { "layer\(layers.count)" }

        mutating func add(_ layer: any Layer) {
            layers.append(layer)
            shape = layer.outputShape
        }

        mutating func linear(_ out: Int) throws {
            add(try AnalogLinear(inFeatures: shape.count, outFeatures: out, options: options, tiles: tiles, path: nextPath, seeds: seeds))
        }

        mutating func conv(_ out: Int, kernel: Int) throws {
            add(try AnalogConv2d(inputShape: shape, outChannels: out, kernelSize: kernel, options: options,
                                 tiles: tiles, path: nextPath, seeds: seeds))
        }
    }
}
