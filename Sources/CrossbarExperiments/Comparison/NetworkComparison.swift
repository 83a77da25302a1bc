import CrossbarFoundation
import CrossbarNetwork
import CrossbarTraining
import CrossbarSweep

/// One network part of the standard comparison: a model trained under one device setting, over
/// reference offset σ_r × algorithm × seed, with a learning-rate schedule, decided on the
/// part's metric (``rule``: test accuracy for the image networks, test loss in nats per
/// character for the LSTM character model).
///
/// The device settings:
/// - ``Setting/presets``: the reference simulator's ReRamSB presets (ReRamSB for in-memory SGD,
///   TTv2ReRamSB, ChoppedTTv2ReRamSB, AGADReRamSB): a fitted ReRAM device with ~1000 states in
///   [−0.75, 1.25], large cycle-to-cycle and write noise, the presets' chopper and transfer
///   settings, 7-bit DAC / 9-bit ADC with output noise 0.1.
/// - ``Setting/buildConfig``: the paper-like `build_config(algorithm, device)` of the authors'
///   LeNet-5 example: a soft-bounds reference device with dw_min 0.05 in [−0.6, 0.6] (24
///   states), the class's default spreads, the reference at the symmetry point; default IO
///   (7-bit DAC, 9-bit ADC, output noise 0.06); build_config's per-algorithm settings.
/// - ``Setting/lstmBuildConfig``: the paper's LSTM setting, `build_config(algorithm,
///   SoftBoundsReference(dw_min 0.1, subtract_symmetry_point))` — the same device class in
///   [−0.6, 0.6] with 12 states — with 7-bit DAC, 9-bit ADC and out_scale 2/0.6 (output noise
///   0.06 as the IO defaults); the biases digital (the task's default mapping).
///
/// σ_r (the device's `reference_std`) acts on the accumulation array A only (for in-memory SGD
/// on its one array).
public struct NetworkComparison: Sendable, Hashable {
    /// The device setting of a network part.
    public enum Setting: String, ConfigEnum {
        case presets
        case buildConfig = "build-config"
        case lstmBuildConfig = "lstm-build-config"

        /// DAC resolution of ``lstmBuildConfig``: 7 bits, 1/(2⁷ − 2) = 1/126 of the range; the
        /// decimal is the shortest one that reads as exactly `Float(1.0 / 126.0)`.
        public static let lstmInputResolution = 0.007936508
        /// ADC resolution of ``lstmBuildConfig``: 9 bits, 1/(2⁹ − 2) = 1/510 of the range
        /// (`Float(1.0 / 510.0)` exactly; 0.001960784 would be one Float step below it).
        public static let lstmOutputResolution = 0.0019607844
        /// Output scale of ``lstmBuildConfig``: 2/0.6 (`Float(2.0 / 0.6)` exactly; 3.333333
        /// would be one Float step below it).
        public static let lstmOutputScale = 3.3333333

        /// The fields of the run document that select the setting.
        public var documentFields: [String: JSONValue] {
            switch self {
            case .presets:
                return ["recipe": .string(TrainingRecipe.preset.rawValue), "device_preset": .string("ReRamSB")]
            case .buildConfig:
                return ["recipe": .string(TrainingRecipe.buildConfig.rawValue), "device_preset": .string("soft_bounds_reference"),
                        "device": .object(["dw_min": .number(0.05), "subtract_symmetry_point": .bool(true)])]
            case .lstmBuildConfig:
                return ["recipe": .string(TrainingRecipe.buildConfig.rawValue), "device_preset": .string("soft_bounds_reference"),
                        "device": .object(["dw_min": .number(0.1), "subtract_symmetry_point": .bool(true)]),
                        "io": .object(["inp_res": .number(Self.lstmInputResolution), "out_res": .number(Self.lstmOutputResolution),
                                       "out_scale": .number(Self.lstmOutputScale)])]
            }
        }

        /// One line for tables and captions.
        public var description: String {
            switch self {
            case .presets: "ReRamSB presets"
            case .buildConfig: "build_config, soft-bounds reference device (dw_min 0.05, 24 states)"
            case .lstmBuildConfig: "build_config, soft-bounds reference device (dw_min 0.1, 12 states), 7-bit DAC, 9-bit ADC, out_scale 2/0.6"
            }
        }

        /// The devices' weight range (for stating σ_r as a fraction of it): the soft-bounds
        /// reference device's [−0.6, 0.6] for both build_config settings.
        public var weightRange: Double {
            switch self {
            case .presets: 2.0
            case .buildConfig, .lstmBuildConfig: 1.2
            }
        }

        /// The setting's part of the part name: `presets`, `build-config` (the LSTM's own
        /// build_config setting is also `build-config` after its model: `lstm-build-config`).
        public var nameSuffix: String {
            switch self {
            case .presets, .buildConfig: rawValue
            case .lstmBuildConfig: Self.buildConfig.rawValue
            }
        }
    }

    public var model: ModelName
    public var setting: Setting
    /// Epochs of every run, and the 0-based epochs at which the learning rate is multiplied by
    /// `gamma` (torch's MultiStepLR; none: constant).
    public var epochs: Int
    public var milestones: [Int]
    public var gamma: Double = 0.1
    public var learningRate: Double = 0.1
    /// Mini-batch size: images, or for lstm sequences of ``sequenceLength`` characters.
    public var batchSize = 10
    /// σ_r values, in the order they run (the decisive 0 and 0.5 first).
    public var offsets: [Double]
    public var seeds: [Int]
    public var algorithms: [String]
    /// Training and test samples (0: all; image models only).
    public var trainSamples = 0
    public var testSamples = 0
    /// The data of this part (``TrainingTask/data``), or nil for the comparison's data (the
    /// image parts; the LSTM part reads its own text, `fortunes`).
    public var data: String? = nil
    /// lstm only: characters per training sequence (≥ 1).
    public var sequenceLength = 100
    /// lstm only: hidden size, layers, dropout, clipping (default the reference's 2 × 64, dropout 0.2).
    public var lstm = LSTMModelOptions()
    /// The metric the part is decided on and its thresholds (default test accuracy).
    public var rule = NetworkVerdictRule.testAccuracy

    public init(model: ModelName, setting: Setting, epochs: Int, milestones: [Int], offsets: [Double], seeds: [Int],
                algorithms: [String]) {
        self.model = model
        self.setting = setting
        self.epochs = epochs
        self.milestones = milestones
        self.offsets = offsets
        self.seeds = seeds
        self.algorithms = algorithms
    }

    /// `fc-presets`, `lenet5-build-config`, `lstm-build-config`, …: the name of the sweep and of its files.
    public var name: String { "\(model.rawValue)-\(setting.nameSuffix)" }

    /// The model, for tables: `fc`, `lenet5`, `lstm (2 × 64, dropout 0.2)`.
    public var modelDescription: String {
        model == .lstm
            ? "lstm (\(lstm.layers) × \(lstm.hiddenSize), dropout \(lstm.dropout))"
            : model.rawValue
    }

    /// The sweep over σ_r (slowest), seed and algorithm. `data` is the comparison's data (used
    /// unless the part has its own).
    public func spec(data: String, sweepPrefix: String) -> SweepSpec {
        let data = self.data ?? data
        let isLSTM = model == .lstm
        var s = SweepSpec()
        s.name = "\(sweepPrefix)-\(name)"
        s.description = "\(model.rawValue) \(rule.title)\(isLSTM ? " (nats per character)" : "") on \(data) over the reference offset σ_r of A, "
            + "\(setting.description); \(epochs) epochs, lr \(JSONValue.numberText(learningRate))"
            + (milestones.isEmpty ? "" : " ×\(JSONValue.numberText(gamma)) at epochs \(milestones.map(String.init).joined(separator: ", "))")
            + ", batch \(batchSize)"
            + (isLSTM ? ", sequence length \(sequenceLength), \(lstm.layers) layers × \(lstm.hiddenSize), dropout \(lstm.dropout)" : "")
            + "."
        var base: [String: JSONValue] = [
            "task": .string(TrainingTask.taskName),
            "model": .string(model.rawValue),
            "data": .string(data),
            "epochs": .number(Double(epochs)),
            "batch_size": .number(Double(batchSize)),
            "learning_rate": .number(learningRate),
        ]
        if isLSTM {
            base["sequence_length"] = .number(Double(sequenceLength))
            base["lstm"] = (try? JSONValue(encoding: lstm)) ?? .null
        } else {
            base["train_samples"] = .number(Double(trainSamples))
            base["test_samples"] = .number(Double(testSamples))
        }
        if !milestones.isEmpty {
            base["lr_schedule"] = .string(LearningRateScheduleKind.multiStep.rawValue)
            base["lr_milestones"] = .array(milestones.map { .number(Double($0)) })
            base["lr_gamma"] = .number(gamma)
        }
        for (k, v) in setting.documentFields { base[k] = v }
        s.base = .object(base)
        s.axes = [
            SweepAxis(path: "device.reference_std", values: offsets.map(JSONValue.number)),
            SweepAxis(path: "seed", values: seeds.map { .number(Double($0)) }),
            SweepAxis(path: "algorithm", values: algorithms.map(JSONValue.string)),
        ]
        s.metrics = rule.sweepMetrics
        s.report.metric = rule.metric
        return s
    }
}
