import CrossbarFoundation
import CrossbarNetwork
import CrossbarTraining
import CrossbarSweep

/// One network part of the standard comparison: a model trained on image data under one device
/// setting, over reference offset σ_r × algorithm × seed, with a learning-rate schedule.
///
/// The two device settings:
/// - ``Setting/presets``: the reference simulator's ReRamSB presets (ReRamSB for in-memory SGD,
///   TTv2ReRamSB, ChoppedTTv2ReRamSB, AGADReRamSB): a fitted ReRAM device with ~1000 states in
///   [−0.75, 1.25], large cycle-to-cycle and write noise, the presets' chopper and transfer
///   settings, 7-bit DAC / 9-bit ADC with output noise 0.1.
/// - ``Setting/buildConfig``: the paper-like `build_config(algorithm, device)` of the authors'
///   LeNet-5 example: a soft-bounds reference device with dw_min 0.05 in [−0.6, 0.6] (24
///   states), the class's default spreads, the reference at the symmetry point; default IO
///   (7-bit DAC, 9-bit ADC, output noise 0.06); build_config's per-algorithm settings.
///
/// σ_r (the device's `reference_std`) acts on the accumulation array A only (for in-memory SGD
/// on its one array).
public struct NetworkComparison: Sendable, Hashable {
    /// The device setting of a network part.
    public enum Setting: String, ConfigEnum {
        case presets
        case buildConfig = "build-config"

        /// The fields of the run document that select the setting.
        public var documentFields: [String: JSONValue] {
            switch self {
            case .presets:
                return ["recipe": .string(TrainingRecipe.preset.rawValue), "device_preset": .string("ReRamSB")]
            case .buildConfig:
                return ["recipe": .string(TrainingRecipe.buildConfig.rawValue), "device_preset": .string("soft_bounds_reference"),
                        "device": .object(["dw_min": .number(0.05), "subtract_symmetry_point": .bool(true)])]
            }
        }

        /// One line for tables and captions.
        public var description: String {
            switch self {
            case .presets: "ReRamSB presets"
            case .buildConfig: "build_config, soft-bounds reference device (dw_min 0.05, 24 states)"
            }
        }

        /// The devices' weight range (for stating σ_r as a fraction of it).
        public var weightRange: Double {
            switch self {
            case .presets: 2.0
            case .buildConfig: 1.2
            }
        }
    }

    public var model: ModelName
    public var setting: Setting
    /// Epochs of every run, and the 0-based epochs at which the learning rate is multiplied by
    /// `gamma` (torch's MultiStepLR).
    public var epochs: Int
    public var milestones: [Int]
    public var gamma: Double = 0.1
    public var learningRate: Double = 0.1
    public var batchSize = 10
    /// σ_r values, in the order they run (the decisive 0 and 0.5 first).
    public var offsets: [Double]
    public var seeds: [Int]
    public var algorithms: [String]
    /// Training and test samples (0: all).
    public var trainSamples = 0
    public var testSamples = 0

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

    /// `fc-presets`, `lenet5-build-config`, …: the name of the sweep and of its files.
    public var name: String { "\(model.rawValue)-\(setting.rawValue)" }

    /// The sweep over σ_r (slowest), seed and algorithm.
    public func spec(data: String, sweepPrefix: String) -> SweepSpec {
        var s = SweepSpec()
        s.name = "\(sweepPrefix)-\(name)"
        s.description = "\(model.rawValue) test accuracy on \(data) over the reference offset σ_r of A, \(setting.description); "
            + "\(epochs) epochs, lr \(JSONValue.numberText(learningRate))"
            + (milestones.isEmpty ? "" : " ×\(JSONValue.numberText(gamma)) at epochs \(milestones.map(String.init).joined(separator: ", "))")
            + ", batch \(batchSize)."
        var base: [String: JSONValue] = [
            "task": .string(TrainingTask.taskName),
            "model": .string(model.rawValue),
            "data": .string(data),
            "train_samples": .number(Double(trainSamples)),
            "test_samples": .number(Double(testSamples)),
            "epochs": .number(Double(epochs)),
            "batch_size": .number(Double(batchSize)),
            "learning_rate": .number(learningRate),
        ]
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
        s.metrics = ["test_accuracy", "train_loss"]
        s.report.metric = "test_accuracy"
        return s
    }
}
