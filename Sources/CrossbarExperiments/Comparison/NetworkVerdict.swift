import CrossbarSweep

/// The network claim decided for one part of the standard comparison by the rule of the
/// results page:
///
/// - TTv2 **degrades** when its mean test accuracy at σ_r = 0.5 is below its σ_r = 0 mean by
///   more than 2 standard errors (of the difference of the two means,
///   √(s₀²/n₀ + s₅²/n₅) with the seeds' sample standard deviations) and by more than 3
///   percentage points;
/// - c-TTv2 and AGAD each **hold** when their σ_r = 0.5 mean is within 2 points of their
///   σ_r = 0 mean and within 5 points of the floating-point mean;
/// - the claim **holds** for the part when TTv2 degrades and both c-TTv2 and AGAD hold.
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

    public static let degradeStandardErrors = 2.0
    public static let degradePoints = 0.03
    public static let holdPoints = 0.02
    public static let nearFloatingPointPoints = 0.05

    public var part: NetworkComparison
    /// Test accuracy per algorithm and σ_r.
    public var accuracy: [String: [Double: Statistic]]

    public init(part: NetworkComparison, report: SweepReport) {
        self.part = part
        var acc: [String: [Double: Statistic]] = [:]
        for row in report.rows {
            guard let a = row.value(of: "algorithm")?.stringValue, let sigma = row.value(of: "device.reference_std")?.doubleValue,
                  row.okCount > 0, let m = row.mean["test_accuracy"], !m.isNaN else { continue }
            acc[a, default: [:]][sigma] = Statistic(mean: m, std: row.std["test_accuracy"] ?? .nan, count: row.okCount)
        }
        accuracy = acc
    }

    /// Floating point (independent of σ_r: the runs at every σ_r are pooled by their means).
    public var floatingPoint: Statistic? {
        guard let runs = accuracy["fp"], !runs.isEmpty else { return nil }
        let means = runs.values.map(\.mean)
        let stds = runs.values.map(\.std)
        return Statistic(mean: means.reduce(0, +) / Double(means.count), std: stds.max() ?? .nan,
                         count: runs.values.map(\.count).max() ?? 0)
    }

    /// Mean accuracy at σ_r = 0.5 minus at σ_r = 0, and the standard error of that difference.
    public func change(_ algorithm: String) -> (difference: Double, standardError: Double)? {
        guard let a0 = accuracy[algorithm]?[0], let a5 = accuracy[algorithm]?[0.5] else { return nil }
        let se = (a0.standardError * a0.standardError + a5.standardError * a5.standardError).squareRoot()
        return (a5.mean - a0.mean, se)
    }

    /// TTv2 degrades (nil: undecided).
    public var ttv2Degrades: Bool? {
        guard let (d, se) = change("ttv2"), se.isFinite else { return nil }
        return -d > Self.degradeStandardErrors * se && -d > Self.degradePoints
    }

    /// `algorithm` (c-ttv2 or agad) holds (nil: undecided).
    public func holds(_ algorithm: String) -> Bool? {
        guard let (d, se) = change(algorithm), se.isFinite, let a5 = accuracy[algorithm]?[0.5], let fp = floatingPoint else { return nil }
        return abs(d) <= Self.holdPoints && fp.mean - a5.mean <= Self.nearFloatingPointPoints
    }

    /// The claim for this part (nil: undecided).
    public var claimHolds: Bool? {
        guard let t = ttv2Degrades, let c = holds("c-ttv2"), let a = holds("agad") else { return nil }
        return t && c && a
    }

    /// "yes", "**no**" or "undecided".
    public static func text(_ verdict: Bool?) -> String { verdict.map { $0 ? "yes" : "**no**" } ?? "undecided" }
}
