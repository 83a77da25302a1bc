import Foundation
import CrossbarFoundation
import CrossbarData
import CrossbarDevices
import CrossbarTile
import CrossbarAlgorithms
import CrossbarNetwork
import CrossbarTraining

/// One network-training run as a declarative document: the `train` task of sweeps and of the
/// standard comparison (Rasch et al. 2023, §5.3: c-TTv2 and AGAD keep near-floating-point
/// accuracy across reference offsets where TTv2 degrades).
///
/// The tile configuration is a named preset (`ConfigurationPresets`) chosen by `algorithm`
/// and `device_preset` — `sgd` → `ReRamSB`, `ttv2` → `TTv2ReRamSB`, `c-ttv2` →
/// `ChoppedTTv2ReRamSB`, `agad` → `AGADReRamSB`, `tiki-taka` → `TikiTakaReRamSB`,
/// `mixed-precision` → `MixedPrecisionReRamSB`, `fp` → `fp` — with the device fields of
/// `device` written over every device of the configuration. Exception: the reference offsets
/// (`reference_mean`, `reference_std`: the paper's σ_r) go to the accumulation array A only —
/// the first device of a compound, the single device of in-memory SGD — unless
/// `reference_on_weight` is true, as in the paper's experiments (offsets on A, W ideal in that
/// respect). So `{"algorithm": "c-ttv2", "device": {"reference_std": 0.3}}` is
/// ChoppedTTv2ReRamSB with σ_r = 0.3 on A. Instead of `algorithm` and `device_preset`, `config`
/// may give any configuration by name or as a whole JSON object (`device` still applies).
///
/// With `recipe: "build_config"` the configuration is instead the reference simulator's
/// `build_config(algorithm, device, io)` (`AlgorithmBuilder`): `device_preset` names the
/// device — a preset (`ReRamSB`, …) or a device model with its class defaults
/// (`soft_bounds_reference`, …) — `io` the forward, backward and transfer-read IO (default the
/// `IOParameters` defaults: 7-bit DAC, 9-bit ADC, out_noise 0.06, as `build_config` without
/// IO) and `options` the algorithm settings over `build_config`'s (`AlgorithmOptions`).
/// `device` and the σ_r rule apply as above. The paper-like network setting is
/// `{"recipe": "build_config", "device_preset": "soft_bounds_reference", "device": {"dw_min":
/// 0.05, "subtract_symmetry_point": true}}` (the authors' LeNet-5 example).
///
/// The learning rate follows `lr_schedule` (`constant`, `step`, `multi_step`, as torch's
/// StepLR and MultiStepLR) with `lr_step_size`, `lr_gamma` and `lr_milestones` (0-based epochs).
///
/// Data: `data` is `"fashion-mnist"` (the Debian package's folder), any MNIST-format folder,
/// or `"synthetic"` (4 Gaussian clusters in 16 dimensions, spread 0.25,
/// `SyntheticData/gaussianClusters`; 2 000 training and 500 test samples unless limited; for
/// tests and demonstrations; seeded by `seed`).
public struct TrainingTask: ConfigRecord {
    /// Task name in sweep files and results.
    public static let taskName = "train"
    /// The `data` value of the synthetic dataset.
    public static let syntheticData = "synthetic"
    /// The `data` value of the default dataset (Fashion-MNIST at `MNISTFolder/defaultFashionMNISTPath`).
    public static let fashionMNIST = "fashion-mnist"
    /// Device fields that only the accumulation array receives (unless `reference_on_weight`).
    public static let referenceKeys: Set<String> = ["reference_mean", "reference_std"]

    /// Network: `fc` (784-256-128-10, sigmoid), `lenet5`, or `lstm` (the character model: it
    /// reads a text and uses `lstm` and `sequence_length`; ``runLSTM(checkpoint:onResume:onEpoch:)``
    /// trains it). Default fc.
    public var model: ModelName = .fc
    /// The training algorithm. Default c-ttv2.
    public var algorithm: AlgorithmName = .cTTv2
    /// The device preset of the configuration (`DevicePresets/names`; with the
    /// `build_config` recipe also a device model name, meaning its class defaults). Default
    /// ReRamSB.
    public var devicePreset = "ReRamSB"
    /// How `algorithm` and `device_preset` become a configuration: `preset` (the reference's
    /// named preset, e.g. ChoppedTTv2ReRamSB) or `build_config`. Default preset.
    public var recipe: TrainingRecipe = .preset
    /// IO of the `build_config` recipe. Default the `IOParameters` defaults.
    public var io = IOParameters()
    /// Algorithm settings of the `build_config` recipe (null fields: build_config's values).
    public var options = AlgorithmOptions()
    /// Instead of `algorithm` and `device_preset`: a configuration name (`crossbar configs`)
    /// or a whole configuration object (as `crossbar configs show NAME` prints it). Default
    /// null (use `algorithm` and `device_preset`). A document may not give both.
    public var config: JSONValue = .null
    /// Device fields written over the preset's devices (an object of DeviceConfig keys, e.g.
    /// `{"reference_std": 0.3, "dw_min": 0.01}`). Default `{}` (the preset as it is).
    public var device: JSONValue = .object([:])
    /// Apply `reference_mean` / `reference_std` of `device` to every array, not only to A.
    /// Default false.
    public var referenceOnWeight = false
    /// `fashion-mnist`, a folder of MNIST-format files, or `synthetic`. Default fashion-mnist.
    public var data = TrainingTask.fashionMNIST
    /// Training samples used (the first N of the training split; 0: all). Default 0.
    public var trainSamples = 0
    /// Test samples used (the first N; 0: all). Default 0.
    public var testSamples = 0
    /// Epochs (≥ 1). Default 1.
    public var epochs = 1
    /// Mini-batch size (≥ 1). Default 10.
    public var batchSize = 10
    /// SGD learning rate (of the first epoch). Default 0.1.
    public var learningRate: Float = 0.1
    /// Learning-rate schedule: constant, step or multi_step. Default constant.
    public var lrSchedule: LearningRateScheduleKind = .constant
    /// Epochs between decays of `step` (≥ 1). Default 1.
    public var lrStepSize = 1
    /// Decay factor of `step` and `multi_step`, in (0, 1]. Default 0.1.
    public var lrGamma: Float = 0.1
    /// 0-based epochs at which `multi_step` decays (strictly increasing, ≥ 1). Default [].
    public var lrMilestones: [Int] = []
    /// Master seed of all random streams (weights, devices, noise, data order). Default 1.
    public var seed: UInt64 = 1
    /// `lstm` only: hidden size, layers, dropout and gradient clipping (``LSTMModelOptions``,
    /// default the reference's 2 × 64, dropout 0.2, clip 1).
    public var lstm = LSTMModelOptions()
    /// `lstm` only: characters per training sequence (≥ 1). Default 100.
    public var sequenceLength = 100

    public init() {}

    public static var fields: [ConfigField<TrainingTask>] {
        [
            .init("model", \.model),
            .init("algorithm", \.algorithm),
            .init("device_preset", \.devicePreset),
            .init("recipe", \.recipe),
            .init("io", \.io),
            .init("options", \.options),
            .init("config", \.config),
            .init("device", \.device),
            .init("reference_on_weight", \.referenceOnWeight),
            .init("data", \.data),
            .init("train_samples", \.trainSamples),
            .init("test_samples", \.testSamples),
            .init("epochs", \.epochs),
            .init("batch_size", \.batchSize),
            .init("learning_rate", \.learningRate),
            .init("lr_schedule", \.lrSchedule),
            .init("lr_step_size", \.lrStepSize),
            .init("lr_gamma", \.lrGamma),
            .init("lr_milestones", \.lrMilestones),
            .init("seed", \.seed),
            .init("lstm", \.lstm),
            .init("sequence_length", \.sequenceLength),
        ]
    }

    /// The name of the configuration: `config` if it is a name, "custom" for a configuration
    /// object, else the preset `algorithm` and `device_preset` select.
    public var presetName: String {
        if let name = config.stringValue { return name }
        if config.objectValue != nil { return "custom" }
        if recipe == .buildConfig { return algorithm == .fp ? "fp" : "build_config(\(algorithm.rawValue), \(devicePreset))" }
        return switch algorithm {
        case .fp: "fp"
        case .sgd: devicePreset
        case .tikiTaka: "TikiTaka" + devicePreset
        case .ttv2: "TTv2" + devicePreset
        case .cTTv2: "ChoppedTTv2" + devicePreset
        case .agad: "AGAD" + devicePreset
        case .mixedPrecision: "MixedPrecision" + devicePreset
        }
    }

    public func validate() throws {
        if config.isNull {
            if recipe == .buildConfig {
                _ = try baseDevice()
            } else if !DevicePresets.names.contains(devicePreset) {
                throw CrossbarError.invalidParameter(field: "device_preset", value: devicePreset,
                                                     allowed: DevicePresets.names.joined(separator: ", "))
            }
        } else if recipe == .buildConfig {
            throw CrossbarError.invalidParameter(field: "recipe", value: "build_config",
                                                 allowed: "preset when 'config' is given (config names the whole configuration)")
        }
        // `options` adjust build_config's settings; a preset or a config object carries its own.
        if recipe != .buildConfig && options != AlgorithmOptions() {
            throw CrossbarError.invalidParameter(field: "options", value: options.toJSON(),
                                                 allowed: "only with recipe build_config (with a preset or a config object, set the algorithm's fields in a config object)")
        }
        do { try schedule.validate() } catch let e as CrossbarError {
            let fields = ["learning_rate": "learning_rate", "step_size": "lr_step_size", "gamma": "lr_gamma", "milestones": "lr_milestones"]
            if case let .invalidParameter(field, value, allowed) = e {
                throw CrossbarError.invalidParameter(field: fields[field] ?? field, value: value, allowed: allowed)
            }
            throw e
        }
        guard device.objectValue != nil else {
            throw CrossbarError.invalidParameter(field: "device", value: device.shortDescription,
                                                 allowed: "an object of device fields, e.g. {\"reference_std\": 0.3}")
        }
        try Check.atLeast(trainSamples, 0, "train_samples")
        try Check.atLeast(testSamples, 0, "test_samples")
        try Check.atLeast(epochs, 1, "epochs")
        if epochs > 10_000 { throw CrossbarError.invalidParameter(field: "epochs", value: "\(epochs)", allowed: "1…10000") }
        try Check.atLeast(batchSize, 1, "batch_size")
        try Check.positive(learningRate, "learning_rate")
        if data.isEmpty { throw CrossbarError.invalidParameter(field: "data", value: "\"\"", allowed: "fashion-mnist, synthetic or a folder") }
        if model == .lstm { try validateLSTM() }
        if model == .lenet5 && data == Self.syntheticData {
            throw CrossbarError.invalidParameter(field: "model", value: "lenet5",
                                                 allowed: "fc with data \"synthetic\" (the synthetic data are not images)")
        }
        let configuration = try tileConfiguration()
        try configuration.validate()
    }

    /// The resolved tile configuration of every analog layer.
    public func tileConfiguration() throws -> TileConfiguration {
        var configuration: TileConfiguration
        switch config {
        case .null where recipe == .buildConfig:
            configuration = AlgorithmBuilder.configuration(algorithm, device: try baseDevice(), io: io, options: options)
        case .null:
            configuration = try ConfigurationPresets.configuration(presetName)
        case let .string(name):
            guard ConfigurationPresets.names.contains(where: { $0.lowercased() == name.lowercased() }) else {
                throw CrossbarError.invalidParameter(field: "config", value: name,
                                                     allowed: "a configuration name: " + ConfigurationPresets.names.joined(separator: ", "))
            }
            configuration = try ConfigurationPresets.configuration(name)
        case .object:
            do { configuration = try config.decode(TileConfiguration.self, what: "config") } catch let e as CrossbarError { throw e.prefixed(by: "config") }
        default:
            throw CrossbarError.invalidParameter(field: "config", value: config.shortDescription,
                                                 allowed: "a configuration name (crossbar configs) or a configuration object")
        }
        // Floating point has no devices: `device` is ignored (so `fp` can share a sweep's σ_r axis).
        guard !configuration.isFloatingPoint, let overrides = device.objectValue, !overrides.isEmpty else { return configuration }
        let all = overrides.filter { referenceOnWeight || !Self.referenceKeys.contains($0.key) }
        let first = overrides
        switch configuration.device {
        case let .single(d):
            configuration.device = .single(try Self.apply(first, to: d))
        case var .compound(c):
            for k in c.unitCellDevices.indices {
                c.unitCellDevices[k] = try Self.apply(k == 0 ? first : all, to: c.unitCellDevices[k])
            }
            configuration.device = .compound(c)
        }
        return configuration
    }

    /// The learning rate per epoch.
    public var schedule: LearningRateSchedule {
        var s = LearningRateSchedule.constant(learningRate)
        s.kind = lrSchedule
        s.stepSize = lrStepSize
        s.gamma = lrGamma
        s.milestones = lrMilestones
        return s
    }

    /// The device `device_preset` names for the `build_config` recipe: a preset, or a device
    /// model's class defaults.
    public func baseDevice() throws -> DeviceConfig {
        if DevicePresets.names.contains(where: { $0.lowercased() == devicePreset.lowercased() }) {
            return try DevicePresets.device(devicePreset)
        }
        guard let model = DeviceModel(rawValue: devicePreset), model.isPulsed else {
            throw CrossbarError.invalidParameter(field: "device_preset", value: devicePreset,
                                                 allowed: "a device preset (\(DevicePresets.names.joined(separator: ", "))) or, with "
                                                    + "recipe build_config, a pulsed device model ("
                                                    + DeviceModel.allCases.filter(\.isPulsed).map(\.rawValue).joined(separator: ", ") + ")")
        }
        return DeviceConfig(model: model)
    }

    /// `device` with the fields of `overrides` written over it; errors name `device.<key>`.
    static func apply(_ overrides: [String: JSONValue], to device: DeviceConfig) throws -> DeviceConfig {
        if overrides.isEmpty { return device }
        guard case var .object(fields) = try JSONValue.parse(device.toJSON(), what: "device") else {
            preconditionFailure("a device configuration encodes as a JSON object")
        }
        for (key, value) in overrides { fields[key] = value }
        do {
            let resolved = try JSONValue.object(fields).decode(DeviceConfig.self, what: "device")
            try resolved.validate()
            return resolved
        } catch let e as CrossbarError {
            throw e.prefixed(by: "device")
        }
    }

    /// The folder a `data` value reads: `MNISTFolder/defaultFashionMNISTPath` for
    /// `fashion-mnist`, nil for `synthetic` (generated, no files), the value itself otherwise.
    public static func dataFolder(_ data: String) -> String? {
        switch data {
        case syntheticData: nil
        case fashionMNIST: MNISTFolder.defaultFashionMNISTPath
        default: data
        }
    }

    /// The training and test sets (limited to `train_samples` / `test_samples`).
    public func datasets() throws -> (train: Dataset, test: Dataset) {
        if data == Self.syntheticData {
            let n = trainSamples > 0 ? trainSamples : 2000
            let m = testSamples > 0 ? testSamples : 500
            return try SyntheticData.gaussianClusters(classes: 4, features: 16, trainCount: n, testCount: m, spread: 0.25,
                                                      seeds: SeedSet(master: seed))
        }
        let folder = MNISTFolder(path: Self.dataFolder(data) ?? data)
        let train = try folder.load(.train, limit: trainSamples > 0 ? trainSamples : nil, limitField: "train_samples")
        let test = try folder.load(.test, limit: testSamples > 0 ? testSamples : nil, limitField: "test_samples", shape: train.shape)
        return (train, test)
    }
}

/// The outcome of one ``TrainingTask`` run.
public struct TrainingTaskResult: Sendable {
    /// One record per epoch (as `crossbar train --metrics` writes them).
    public var epochs: [EpochRecord]
    public var final: EpochRecord { epochs[epochs.count - 1] }
}

extension TrainingTask {
    /// Trains the network (deterministic for a given document, whatever the thread count).
    ///
    /// With `checkpoint`, the complete state is written there atomically after every epoch, and
    /// a checkpoint already there (of this very document: same identity) is resumed, so a
    /// killed run continues from its last completed epoch with bit-identical results. A
    /// checkpoint of another run at that path is replaced.
    public func run(checkpoint: String? = nil, events: TrainingEvents = TrainingEvents()) throws -> TrainingTaskResult {
        try validate()
        guard model != .lstm else {
            throw CrossbarError.invalidParameter(field: "model", value: "lstm", allowed: "fc or lenet5 here (run lstm with runLSTM)")
        }
        let configuration = try tileConfiguration()
        let (train, test) = try datasets()
        let options = TrainingOptions(epochs: epochs, batchSize: batchSize, schedule: schedule)
        func session() throws -> TrainingSession {
            try TrainingSession(model: model, configuration: configuration, configurationName: presetName,
                                train: train, test: test, options: options, seeds: SeedSet(master: seed))
        }
        var run = try session()
        if let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
            do {
                try run.resume(from: checkpoint)
                events.resumed?(run.completedEpochs, 0)
            } catch {
                // Another run's (or a damaged) checkpoint: say why, and start afresh on a clean session.
                events.checkpointSetAside?("\(error)")
                run = try session()
            }
        }
        try run.train(outputs: TrainingOutputs(checkpoint: checkpoint), events: events)
        guard !run.history.isEmpty else { throw CrossbarError.message("train task: no epoch completed") }
        return TrainingTaskResult(epochs: run.history)
    }
}

/// How a ``TrainingTask`` turns `algorithm` and `device_preset` into a tile configuration.
public enum TrainingRecipe: String, ConfigEnum {
    /// The reference simulator's named preset configuration (`ConfigurationPresets`).
    case preset
    /// The reference simulator's `build_config(algorithm, device, io)` (`AlgorithmBuilder`).
    case buildConfig = "build_config"
}
