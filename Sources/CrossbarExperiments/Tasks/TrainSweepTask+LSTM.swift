import Foundation
import CrossbarFoundation
import CrossbarTraining
import CrossbarSweep

/// The `lstm` model in the `train` sweep task. Metrics of the last epoch: `validation_loss`,
/// `test_loss`, `train_loss` (cross-entropy in nats per character), `validation_perplexity`,
/// `test_perplexity`, `validation_accuracy`, `test_accuracy`, `test_error` (next-character
/// accuracy and 1 − accuracy, fractions in [0, 1]), `train_accuracy`, `pulses_per_character_<array>`
/// (summed over layers: `W`, or `A` and `C`); extra: the per-epoch
/// validation and test losses and `characters_per_second` (wall-clock, not a metric).
extension TrainSweepTask {
    func runLSTM(_ task: TrainingTask, context: SweepPointContext) throws -> SweepMetrics {
        let records = try task.runLSTM(
            checkpoint: context.workDirectory + "/checkpoint.bin",
            onResume: { done in context.report(fraction: Double(done) / Double(task.epochs), "resumed after epoch \(done)/\(task.epochs)") },
            onEpoch: { r in
                context.report(fraction: Double(r.epoch) / Double(task.epochs),
                               String(format: "epoch %d/%d: train %.4f, validation %.4f nats/char", r.epoch, task.epochs,
                                      r.metrics.trainLoss, r.metrics.validation.loss))
            })
        return try lstmMetrics(records)
    }

    func lstmMetrics(_ records: [CharacterEpochRecord]) throws -> SweepMetrics {
        guard let last = records.last?.metrics else { throw CrossbarError.message("train task: no epoch completed") }
        var values: [String: Double] = [
            "train_loss": last.trainLoss,
            "train_accuracy": last.trainAccuracy,
            "validation_loss": last.validation.loss,
            "validation_perplexity": last.validation.perplexity,
            "validation_accuracy": last.validation.accuracy,
            "test_loss": last.test.loss,
            "test_perplexity": last.test.perplexity,
            "test_accuracy": last.test.accuracy,
            "test_error": 1 - last.test.accuracy,
        ]
        var pulses: [String: Double] = [:]
        // Sum in a fixed order (layers sorted by name), so the sums are reproducible to the bit.
        let perLayer = records[records.count - 1].pulsesPerCharacter
        for layer in perLayer.keys.sorted() {
            for (array, p) in perLayer[layer]! { pulses[array, default: 0] += p }
        }
        for (array, p) in pulses { values["pulses_per_character_\(array)"] = p }
        let extra: JSONValue = .object([
            "validation_loss_per_epoch": .array(records.map { .number($0.metrics.validation.loss) }),
            "test_loss_per_epoch": .array(records.map { .number($0.metrics.test.loss) }),
            "train_loss_per_epoch": .array(records.map { .number($0.metrics.trainLoss) }),
            "characters_per_second": .number(last.charactersPerSecond),
        ])
        return SweepMetrics(values, extra: extra)
    }
}
