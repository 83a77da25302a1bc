import Foundation

/// The metric a network part of the standard comparison is decided on, which way is better,
/// and the thresholds of its verdict (``NetworkVerdict``); each part chooses its rule
/// (``NetworkComparison/rule``).
///
/// "Worse by x" means lower by x when higher is better (accuracy) and higher by x when lower is
/// better (loss); differences are in the metric's own units (a fraction for accuracy, nats per
/// character for the character model's loss):
/// - TTv2 **degrades** when its σ_r = 0.5 mean is worse than its σ_r = 0 mean by more than
///   ``degradeStandardErrors`` standard errors of the difference of the two means and by more
///   than ``degradeMargin``;
/// - c-TTv2 and AGAD each **hold** when their σ_r = 0.5 mean is within ``holdMargin`` of their
///   σ_r = 0 mean (either way) and worse than the floating-point mean by at most
///   ``nearFloatingPointMargin``.
public struct NetworkVerdictRule: Sendable, Hashable {
    /// Which values of the metric are better.
    public enum Direction: String, Sendable, Hashable {
        case higherIsBetter = "higher is better"
        case lowerIsBetter = "lower is better"
    }

    /// The sweep metric decided on (a key of the records' `metrics`).
    public var metric: String
    public var direction: Direction
    /// Standard errors of the difference TTv2 must get worse by (> 0).
    public var degradeStandardErrors: Double
    /// Least worsening of TTv2 from σ_r = 0 to 0.5 that counts as degrading (metric units, ≥ 0).
    public var degradeMargin: Double
    /// Largest change of c-TTv2 / AGAD from σ_r = 0 to 0.5 that still holds (metric units, ≥ 0).
    public var holdMargin: Double
    /// Largest amount c-TTv2 / AGAD at σ_r = 0.5 may be worse than floating point (metric units, ≥ 0).
    public var nearFloatingPointMargin: Double
    /// The sweep's metrics: ``metric`` first (the report's primary metric), then the others recorded.
    public var sweepMetrics: [String]
    /// Key of the per-epoch values of ``metric`` in the records' `extra` (the training curves).
    public var perEpochKey: String
    /// What the metric is, for titles: "test accuracy", "test loss".
    public var title: String
    /// Factor from metric units to displayed units (100: fractions shown in %).
    public var displayScale: Double
    /// Unit of a displayed value ("%", "nats/char") and of a displayed difference, short and long.
    public var valueUnit: String
    public var differenceUnit: String
    public var differenceUnitLong: String
    /// Decimals of a displayed value in the claim table and in the per-σ_r tables.
    public var claimDecimals: Int
    public var tableDecimals: Int
    /// The metric is a cross-entropy in nats: a difference δ multiplies the perplexity by e^δ.
    public var isCrossEntropy: Bool

    /// Test accuracy after the last epoch (fc, LeNet-5): TTv2 degrades beyond 2 standard errors
    /// and 3 percentage points; c-TTv2 / AGAD hold within 2 points of σ_r = 0 and 5 of fp.
    public static let testAccuracy = NetworkVerdictRule(
        metric: "test_accuracy", direction: .higherIsBetter, degradeStandardErrors: 2, degradeMargin: 0.03, holdMargin: 0.02,
        nearFloatingPointMargin: 0.05, sweepMetrics: ["test_accuracy", "train_loss"], perEpochKey: "test_accuracy_per_epoch",
        title: "test accuracy", displayScale: 100, valueUnit: "%", differenceUnit: "points", differenceUnitLong: "percentage points",
        claimDecimals: 1, tableDecimals: 2, isCrossEntropy: false)

    /// Test loss after the last epoch, in nats per character (the LSTM character model): TTv2
    /// degrades beyond 2 standard errors and 0.06 nats/char; c-TTv2 / AGAD hold within
    /// 0.04 nats/char of σ_r = 0 (≈ 4 % perplexity) and 0.10 nats/char of fp. The sweep also
    /// records test perplexity, next-character test accuracy and training loss.
    public static let testLoss = NetworkVerdictRule(
        metric: "test_loss", direction: .lowerIsBetter, degradeStandardErrors: 2, degradeMargin: 0.06, holdMargin: 0.04,
        nearFloatingPointMargin: 0.10, sweepMetrics: ["test_loss", "test_perplexity", "test_accuracy", "train_loss"],
        perEpochKey: "test_loss_per_epoch", title: "test loss", displayScale: 1, valueUnit: "nats/char", differenceUnit: "nats/char",
        differenceUnitLong: "nats per character", claimDecimals: 3, tableDecimals: 3, isCrossEntropy: true)

    /// How much worse `value` is than `reference` (positive: worse), in metric units.
    public func worsening(from reference: Double, to value: Double) -> Double {
        direction == .higherIsBetter ? reference - value : value - reference
    }

    /// A value in displayed units with `decimals` decimals (no unit).
    public func valueText(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", displayScale * value)
    }

    /// A threshold in displayed units with its unit, e.g. "3 percentage points", "0.06 nats per character".
    public func marginText(_ margin: Double, long: Bool = false) -> String {
        String(format: "%g ", displayScale * margin) + (long ? differenceUnitLong : differenceUnit)
    }

    /// The rule as the bullets of the results page.
    public var markdownBullets: String {
        let k = String(format: "%g", degradeStandardErrors)
        var s = "- TTv2 **degrades** when its mean at σ_r = 0.5 is \(direction == .higherIsBetter ? "below" : "above") its mean at "
        s += "σ_r = 0 by more than \(k) standard errors of the difference (√(s₀²/n₀ + s₅²/n₅), sample standard deviations "
        s += "over seeds) **and** by more than \(marginText(degradeMargin, long: true));\n"
        s += "- c-TTv2 and AGAD each **hold** when their σ_r = 0.5 mean is within \(marginText(holdMargin)) of their σ_r = 0 mean "
        s += "**and** within \(marginText(nearFloatingPointMargin)) of floating point"
        if direction == .lowerIsBetter { s += " (at most that much above it; below it is fine)" }
        s += isCrossEntropy
            ? String(format: " — %@ is a factor e^%g ≈ %.3f, about %.0f %%, in perplexity;\n",
                     marginText(holdMargin), holdMargin, exp(holdMargin), 100 * (exp(holdMargin) - 1))
            : ";\n"
        return s
    }
}
