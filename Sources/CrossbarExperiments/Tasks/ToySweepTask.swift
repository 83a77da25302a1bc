import CrossbarFoundation
import CrossbarSweep

/// The paper's single-element illustration (``ToyExperiment``, its Fig. 3) as a sweep task.
///
/// Document: `{"task": "toy", …}` with any field of ``ToyExperiment`` (`algorithm`, `offset`,
/// `updates`, `seed`, `size`, `gradient`, `fast_lr`, `transfer_every`, `in_chop_prob`,
/// `device`, …). Metrics: `final_weight` (of the traced element), `progress` (its movement in
/// the direction gradient descent wants: positive = right way, in weight units),
/// `net_pulses_W` (net transfer pulses written to the traced element of W, counted positive in
/// the right direction) and
/// `pulses_per_update_<array>`; extra: the progress in every chopper phase.
public struct ToySweepTask: SweepTask {
    public var name: String { ToyExperiment.taskName }

    public init() {}

    public func task(_ point: JSONValue) throws -> ToyExperiment {
        try document(point, as: ToyExperiment.self)
    }

    public func validate(point: JSONValue) throws {
        try task(point).validate()
    }

    public func run(point: JSONValue) throws -> SweepMetrics {
        let trace = try task(point).run()
        var values: [String: Double] = [
            "final_weight": Double(trace.finalWeight),
            "progress": Double(trace.progress),
            "net_pulses_W": Double(trace.totalNetPulses),
        ]
        for (array, p) in trace.pulsesPerUpdate { values["pulses_per_update_\(array)"] = p }
        let extra: JSONValue = .object([
            "progress_per_chopper_phase": .array(trace.progressPerChopperPhase.map { .number(Double($0)) }),
        ])
        return SweepMetrics(values, extra: extra)
    }
}
