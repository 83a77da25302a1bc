/// Pulses applied to one device array: totals and, optionally, per device.
///
/// The reference simulator counts pulses only on GPUs; here every array counts, so users can
/// report pulses per sample (the paper's endurance figure) on any machine.
public struct PulseCounters: Sendable, Equatable, Codable {
    /// Up pulses (weight increases) applied since construction.
    public var up: UInt64 = 0
    /// Down pulses (weight decreases) applied since construction.
    public var down: UInt64 = 0
    /// Rank-one updates (samples) processed since construction.
    public var updates: UInt64 = 0

    public init() {}

    /// Total pulses.
    public var total: UInt64 { up + down }

    /// Mean pulses per processed sample over the whole array.
    public var pulsesPerUpdate: Double { updates > 0 ? Double(total) / Double(updates) : 0 }
}
