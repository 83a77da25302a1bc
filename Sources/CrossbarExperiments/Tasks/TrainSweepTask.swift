import CrossbarFoundation
import CrossbarTraining
import CrossbarSweep

/// Network training (``TrainingTask``) as a sweep task.
///
/// Document: `{"task": "train", …}` with any field of ``TrainingTask`` (`model`, `algorithm`
/// and `device_preset`, or `config` (a configuration name or object), `device` (fields written over the preset's devices; `reference_std` is the
/// paper's σ_r), `reference_on_weight`, `data`, `train_samples`, `test_samples`, `epochs`,
/// `batch_size`, `learning_rate`, `seed`). Metrics of the last epoch: `test_accuracy` and
/// `test_error` (fractions in [0, 1]), `test_loss`, `train_loss`, `train_accuracy`, and
/// `pulses_per_sample_<array>` (summed over layers, per array name: `W`, or `A` and `C`);
/// extra: `test_accuracy_per_epoch`, `samples_per_second` (wall-clock, not reproducible, so
/// not a metric).
public struct TrainSweepTask: SweepTask {
    public var name: String { TrainingTask.taskName }

    public init() {}

    public func task(_ point: JSONValue) throws -> TrainingTask {
        if point["config"] != nil, let other = ["algorithm", "device_preset"].first(where: { point[$0] != nil }) {
            throw CrossbarError.invalidParameter(field: other, value: point[other]!.shortDescription,
                                                 allowed: "nothing when 'config' is given (config names the whole configuration)")
        }
        return try document(point, as: TrainingTask.self)
    }

    public func validate(point: JSONValue) throws {
        try task(point).validate()
    }

    public func run(point: JSONValue) throws -> SweepMetrics {
        let task = try task(point)
        if task.model == .lstm { return try lstmMetrics(try task.runLSTM()) }
        return try metrics(try task.run())
    }

    /// Runs with a checkpoint in the point's work folder after every epoch (a killed sweep
    /// resumes the point from its last completed epoch, bit-identically) and reports progress
    /// after each epoch.
    public func run(point: JSONValue, context: SweepPointContext) throws -> SweepMetrics {
        let task = try task(point)
        if task.model == .lstm { return try runLSTM(task, context: context) }
        var events = TrainingEvents()
        events.checkpointSetAside = { reason in context.report(fraction: 0, "checkpoint not resumed, starting afresh: \(reason)") }
        events.resumed = { done, _ in context.report(fraction: Double(done) / Double(task.epochs), "resumed after epoch \(done)/\(task.epochs)") }
        events.epochStarted = { epoch, _, _ in
            if epoch == 0 { context.report(fraction: 0, "starting \(task.epochs) epochs") }
        }
        events.epochFinished = { r in
            let test = r.testAccuracy.map { String(format: ", test accuracy %.2f %%", 100 * $0) } ?? ""
            context.report(fraction: Double(r.epoch) / Double(task.epochs),
                           String(format: "epoch %d/%d: train loss %.4f", r.epoch, task.epochs, r.trainLoss) + test)
        }
        return try metrics(try task.run(checkpoint: context.workDirectory + "/checkpoint.bin", events: events))
    }

    func metrics(_ result: TrainingTaskResult) throws -> SweepMetrics {
        let last = result.final
        var values: [String: Double] = [
            "train_loss": last.trainLoss,
            "train_accuracy": last.trainAccuracy,
        ]
        if let a = last.testAccuracy {
            values["test_accuracy"] = a
            values["test_error"] = 1 - a
        }
        if let l = last.testLoss { values["test_loss"] = l }
        var pulses: [String: Double] = [:]
        // Sum in a fixed order (layers sorted by name), so the sums are reproducible to the bit.
        for layer in last.pulsesPerSample.keys.sorted() {
            for (array, p) in last.pulsesPerSample[layer]! { pulses[array, default: 0] += p }
        }
        for (array, p) in pulses { values["pulses_per_sample_\(array)"] = p }
        let extra: JSONValue = .object([
            "test_accuracy_per_epoch": .array(result.epochs.map { $0.testAccuracy.map(JSONValue.number) ?? .null }),
            "test_loss_per_epoch": .array(result.epochs.map { $0.testLoss.map(JSONValue.number) ?? .null }),
            "train_loss_per_epoch": .array(result.epochs.map { .number($0.trainLoss) }),
            "learning_rate_per_epoch": .array(result.epochs.map { .number(Double($0.learningRate)) }),
            "samples_per_second": .number(last.samplesPerSecond),
        ])
        return SweepMetrics(values, extra: extra)
    }
}
