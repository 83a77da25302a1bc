import CrossbarFoundation
import CrossbarSweep

/// The weight-programming task (``ProgrammingTask``, the paper's Fig. 4) as a sweep task.
///
/// Document: `{"task": "program", …}` with any field of ``ProgrammingTask`` (`algorithm`,
/// `n_states`, `device` (with `reference_std` = σ_r, `dw_min`, `up_down`, `dw_min_std`, …),
/// `updates`, `seed`, …). Metrics: `weight_error_std` (std of W − W*), `weight_error_rms`,
/// `pulses_per_update_<array>`; extra: the convergence curve.
public struct ProgramSweepTask: SweepTask {
    public var name: String { ProgrammingTask.taskName }

    public init() {}

    public func task(_ point: JSONValue) throws -> ProgrammingTask {
        try document(point, as: ProgrammingTask.self)
    }

    public func validate(point: JSONValue) throws {
        let t = try task(point)
        try t.validate()
        _ = t.tileConfiguration()
    }

    public func run(point: JSONValue) throws -> SweepMetrics {
        let r = try task(point).run()
        var values: [String: Double] = [
            "weight_error_std": r.weightErrorStd,
            "weight_error_rms": r.weightErrorRMS,
        ]
        for (name, p) in r.pulsesPerUpdate { values["pulses_per_update_\(name)"] = p }
        return SweepMetrics(values, extra: .object(["error_curve": .array(r.errorCurve.map { .number($0) })]))
    }
}
