import CrossbarFoundation

/// What one run of a sweep task reports: named scalar metrics (e.g. `weight_error`,
/// `test_accuracy`) and optional extra JSON (e.g. a short loss trace).
public struct SweepMetrics: Sendable, Equatable {
    /// Metric name → value. Names should be snake_case; values may be NaN or ±∞ (recorded as
    /// the strings "nan", "inf", "-inf").
    public var values: [String: Double]
    /// Anything else worth keeping with the result (kept small: it is written on every line).
    public var extra: JSONValue?

    public init(_ values: [String: Double], extra: JSONValue? = nil) {
        self.values = values
        self.extra = extra
    }

    public subscript(name: String) -> Double? { values[name] }
}
