import CrossbarFoundation

/// Kinds of learning-rate schedules (torch names in brackets).
public enum LearningRateScheduleKind: String, ConfigEnum {
    /// η constant.
    case constant
    /// η · gamma^⌊epoch / step_size⌋ [StepLR].
    case step
    /// η · gamma^(number of milestones ≤ epoch) [MultiStepLR].
    case multiStep = "multi_step"
}

/// A learning rate per epoch, a pure function of the (0-based) epoch index, so the schedule's
/// position is just the epoch: a run resumed at epoch e uses exactly the rate it would have
/// used without the interruption.
public struct LearningRateSchedule: ConfigRecord {
    /// Base learning rate η (> 0). Default 0.05 (aihwkit's fc tutorial; its LeNet5 example
    /// uses 0.01).
    public var learningRate: Float = 0.05
    /// Schedule kind. Default constant.
    public var kind: LearningRateScheduleKind = .constant
    /// Epochs between decays of `step` (≥ 1). Default 1.
    public var stepSize = 1
    /// Decay factor (in (0, 1]). Default 0.1.
    public var gamma: Float = 0.1
    /// Epochs (0-based, strictly increasing, ≥ 1) at which `multi_step` multiplies by gamma.
    public var milestones: [Int] = []

    public init() {}

    public static func constant(_ learningRate: Float) -> LearningRateSchedule {
        var s = LearningRateSchedule(); s.learningRate = learningRate; return s
    }

    /// torch `StepLR(step_size, gamma)`.
    public static func step(_ learningRate: Float, every stepSize: Int, gamma: Float) -> LearningRateSchedule {
        var s = constant(learningRate); s.kind = .step; s.stepSize = stepSize; s.gamma = gamma; return s
    }

    /// torch `MultiStepLR(milestones, gamma)`.
    public static func multiStep(_ learningRate: Float, milestones: [Int], gamma: Float) -> LearningRateSchedule {
        var s = constant(learningRate); s.kind = .multiStep; s.milestones = milestones; s.gamma = gamma; return s
    }

    public static var fields: [ConfigField<LearningRateSchedule>] {
        [.init("learning_rate", \.learningRate), .init("schedule", \.kind), .init("step_size", \.stepSize),
         .init("gamma", \.gamma), .init("milestones", \.milestones)]
    }

    public func validate() throws {
        try Check.positive(learningRate, "learning_rate")
        try Check.atLeast(stepSize, 1, "step_size")
        try Check.finite(gamma, "gamma")
        if !(gamma > 0 && gamma <= 1) {
            throw CrossbarError.invalidParameter(field: "gamma", value: "\(gamma)", allowed: "(0, 1]")
        }
        for (i, m) in milestones.enumerated() where m < 1 || (i > 0 && m <= milestones[i - 1]) {
            throw CrossbarError.invalidParameter(field: "milestones", value: "\(milestones)", allowed: "strictly increasing epochs ≥ 1")
        }
    }

    /// The learning rate of (0-based) epoch `epoch`.
    public func rate(epoch: Int) -> Float {
        let decays: Int
        switch kind {
        case .constant: decays = 0
        case .step: decays = max(epoch, 0) / stepSize
        case .multiStep: decays = milestones.filter { $0 <= epoch }.count
        }
        var r = learningRate
        for _ in 0..<decays { r *= gamma }
        return r
    }
}
