import CrossbarFoundation

/// A kind of run a sweep can vary: the paper's weight-programming task, network training, the
/// toy problem, or the cheap built-in `synthetic` task.
///
/// A task receives the whole resolved point document (`{"task": name, …}`) and must:
/// - in ``validate(point:)``, check every field without running anything, rejecting unknown
///   keys and impossible values with a `CrossbarError` that names the field by its path in the
///   document (`device.dw_min`, so the sweep can name the axis that set it);
/// - in ``run(point:)``, build all its state from the document alone (seeded by the document's
///   `seed`) and return its metrics. Runs happen concurrently on several threads, so nothing
///   may be shared between runs except immutable data; the same document must give the same
///   metrics (bit for bit) whatever else runs at the same time.
public protocol SweepTask: Sendable {
    /// The value of the document's `task` field that selects this task.
    var name: String { get }
    /// Throws a `CrossbarError` naming the field if `point` is not a valid run document.
    func validate(point: JSONValue) throws
    /// Runs the point; throws if the run fails (the sweep records the error and goes on).
    func run(point: JSONValue) throws -> SweepMetrics
    /// Runs the point with the runner's context: a folder of its own that outlives a killed
    /// sweep (a long task keeps its checkpoints there and continues from them when the sweep is
    /// resumed) and a progress channel. The default ignores both.
    func run(point: JSONValue, context: SweepPointContext) throws -> SweepMetrics
}

extension SweepTask {
    public func run(point: JSONValue, context: SweepPointContext) throws -> SweepMetrics {
        try run(point: point)
    }

    /// The point document without its `task` key, decoded as the task's configuration record
    /// (unknown keys and invalid values are errors naming the field).
    public func document<Record: ConfigRecord>(_ point: JSONValue, as type: Record.Type) throws -> Record {
        guard var object = point.objectValue else {
            throw CrossbarError.message("\(name) task: the point document must be a JSON object")
        }
        object["task"] = nil
        return try JSONValue.object(object).decode(type, what: "\(name) task")
    }
}
