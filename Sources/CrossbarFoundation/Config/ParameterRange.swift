/// The documented valid range of a numeric configuration field, with its unit. Values outside
/// are refused when a configuration is decoded or validated: the range keeps every parameter
/// where the simulation means something (a step of 1e37 weight units or a reference spread of
/// 1e9 is a typo, not an experiment) and where Float arithmetic keeps the step sizes.
///
/// The ranges of all fields are printed by `crossbar configs ranges` and tabulated in
/// docs/parameters.md.
public struct ParameterRange: Sendable, Equatable, CustomStringConvertible {
    public let lower: Float
    public let upper: Float
    /// The bound itself is excluded.
    public let lowerOpen: Bool
    public let upperOpen: Bool
    /// What the number measures (e.g. "weight units", "relative to dw_min", "mini-batches").
    public let unit: String

    public init(_ lower: Float, _ upper: Float, lowerOpen: Bool = false, upperOpen: Bool = false, unit: String) {
        precondition(lower <= upper, "ParameterRange: lower > upper")
        self.lower = lower
        self.upper = upper
        self.lowerOpen = lowerOpen
        self.upperOpen = upperOpen
        self.unit = unit
    }

    public func contains(_ v: Float) -> Bool {
        guard v.isFinite else { return false }
        let aboveLower = lowerOpen ? v > lower : v >= lower
        let belowUpper = upperOpen ? v < upper : v <= upper
        return aboveLower && belowUpper
    }

    /// Interval notation: `[0, 10]`, `(0, 1]`.
    public var description: String {
        "\(lowerOpen ? "(" : "[")\(Self.number(lower)), \(Self.number(upper))\(upperOpen ? ")" : "]")"
    }

    /// Throws ``CrossbarError/invalidParameter(field:value:allowed:)`` naming `field`, the value
    /// and the range when `v` is outside (NaN and infinities are always outside).
    public func check(_ v: Float, _ field: String) throws {
        guard !contains(v) else { return }
        throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "\(description) (\(unit))")
    }

    static func number(_ v: Float) -> String {
        if v == v.rounded(), abs(v) < 1e8 { return String(Int(v)) }
        return "\(v)"
    }

    // Ranges used by many fields.

    /// A weight-valued quantity (bound, reset value, reference): |x| ≤ 100 weight units.
    public static let weight = ParameterRange(-100, 100, unit: "weight units")
    /// A non-negative weight-valued quantity (a spread or a magnitude in weight units).
    public static let weightMagnitude = ParameterRange(0, 100, unit: "weight units")
    /// A device-to-device spread relative to its parameter's mean.
    public static let relativeSpread = ParameterRange(0, 10, unit: "relative")
    /// A probability or a fraction.
    public static let probability = ParameterRange(0, 1, unit: "probability")
    /// A resolution: ≤ 0 off, (0, 1] a bin width as a fraction of the range, > 1 a number of
    /// steps; at most 2²⁴ steps (Float's integer precision), at least −1.
    public static let resolution = ParameterRange(-1, 16_777_216, unit: "≤ 0 off, (0, 1] bin width, > 1 steps")
    /// A signed relative asymmetry: [−1, 1].
    public static let asymmetry = ParameterRange(-1, 1, unit: "relative")
}
