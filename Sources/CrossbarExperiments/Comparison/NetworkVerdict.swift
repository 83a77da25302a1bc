import CrossbarSweep

/// The network claim decided for one part of the standard comparison by the rule of the
/// results page, on the part's metric (``NetworkComparison/rule``, a ``NetworkVerdictRule``):
///
/// - TTv2 **degrades** when its mean at σ_r = 0.5 is worse than its σ_r = 0 mean by more than
///   2 standard errors (of the difference of the two means, √(s₀²/n₀ + s₅²/n₅) with the seeds'
///   sample standard deviations) and by more than a margin;
/// - c-TTv2 and AGAD each **hold** when their σ_r = 0.5 mean is within a margin of their
///   σ_r = 0 mean and not worse than the floating-point mean by more than another;
/// - the claim **holds** for the part when TTv2 degrades and both c-TTv2 and AGAD hold.
///
/// The image networks (fc, LeNet-5) are decided on test accuracy
/// (``NetworkVerdictRule/testAccuracy``): degrades below σ_r = 0 by more than 3 percentage
/// points; holds within 2 points of σ_r = 0 and 5 points of floating point. The LSTM character
/// model is decided on test loss in nats per character, lower is better
/// (``NetworkVerdictRule/testLoss``): degrades above σ_r = 0 by more than 0.06 nats/char;
/// holds within 0.04 nats/char of σ_r = 0 (a factor e^0.04 ≈ 1.04, about 4 %, in perplexity)
/// and at most 0.10 nats/char above floating point.
///
/// A verdict is nil (undecided) when a number is missing or a group has fewer than 2 seeds
/// (no standard error).
public struct NetworkVerdict: Sendable {
    /// Mean, sample standard deviation and number of seeds of one group of runs.
    public struct Statistic: Sendable, Equatable {
        public var mean: Double
        public var std: Double
        public var count: Int

        /// The standard error of the mean (NaN for fewer than 2 seeds).
        public var standardError: Double { count >= 2 ? std / Double(count).squareRoot() : .nan }
    }

    public var part: NetworkComparison
    /// The rule's metric (``NetworkVerdictRule/metric``) per algorithm and σ_r.
    public var values: [String: [Double: Statistic]]

    /// The part's rule.
    public var rule: NetworkVerdictRule { part.rule }

    public init(part: NetworkComparison, report: SweepReport) {
        self.part = part
        let metric = part.rule.metric
        var out: [String: [Double: Statistic]] = [:]
        for row in report.rows {
            guard let a = row.value(of: "algorithm")?.stringValue, let sigma = row.value(of: "device.reference_std")?.doubleValue,
                  row.okCount > 0, let m = row.mean[metric], !m.isNaN else { continue }
            out[a, default: [:]][sigma] = Statistic(mean: m, std: row.std[metric] ?? .nan, count: row.okCount)
        }
        values = out
    }

    /// Floating point (independent of σ_r: the runs at every σ_r are pooled by their means).
    public var floatingPoint: Statistic? {
        guard let runs = values["fp"], !runs.isEmpty else { return nil }
        let means = runs.values.map(\.mean)
        let stds = runs.values.map(\.std)
        return Statistic(mean: means.reduce(0, +) / Double(means.count), std: stds.max() ?? .nan,
                         count: runs.values.map(\.count).max() ?? 0)
    }

    /// Mean of the metric at σ_r = 0.5 minus at σ_r = 0, and the standard error of that difference.
    public func change(_ algorithm: String) -> (difference: Double, standardError: Double)? {
        guard let a0 = values[algorithm]?[0], let a5 = values[algorithm]?[0.5] else { return nil }
        let se = (a0.standardError * a0.standardError + a5.standardError * a5.standardError).squareRoot()
        return (a5.mean - a0.mean, se)
    }

    /// TTv2 degrades (nil: undecided).
    public var ttv2Degrades: Bool? {
        guard let (d, se) = change("ttv2"), se.isFinite else { return nil }
        let worse = rule.direction == .higherIsBetter ? -d : d
        return worse > rule.degradeStandardErrors * se && worse > rule.degradeMargin
    }

    /// `algorithm` (c-ttv2 or agad) holds (nil: undecided).
    public func holds(_ algorithm: String) -> Bool? {
        guard let (d, se) = change(algorithm), se.isFinite, let a5 = values[algorithm]?[0.5], let fp = floatingPoint else { return nil }
        return abs(d) <= rule.holdMargin && rule.worsening(from: fp.mean, to: a5.mean) <= rule.nearFloatingPointMargin
    }

    /// The claim for this part (nil: undecided).
    public var claimHolds: Bool? {
        guard let t = ttv2Degrades, let c = holds("c-ttv2"), let a = holds("agad") else { return nil }
        return t && c && a
    }

    /// "yes", "**no**" or "undecided".
    public static func text(_ verdict: Bool?) -> String { verdict.map { $0 ? "yes" : "**no**" } ?? "undecided" }
}
