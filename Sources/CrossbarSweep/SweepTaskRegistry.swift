import CrossbarFoundation

/// The tasks a sweep can run, by name. The CLI uses `standard` (the simulator tasks); tests and other programs
/// pass their own registry to the runner.
public struct SweepTaskRegistry: Sendable {
    private var tasks: [String: any SweepTask] = [:]

    public init(_ tasks: [any SweepTask] = []) {
        for t in tasks { register(t) }
    }

    /// Adds `task` (replacing a task of the same name).
    public mutating func register(_ task: any SweepTask) {
        tasks[task.name] = task
    }

    /// The registered names, sorted.
    public var names: [String] { tasks.keys.sorted() }

    /// The task called `name`, or `CrossbarError/unknownName(kind:name:known:)`.
    public func task(named name: String) throws -> any SweepTask {
        guard let t = tasks[name] else { throw CrossbarError.unknownName(kind: "task", name: name, known: names) }
        return t
    }

    /// The task of a run document (its `task` field).
    public func task(for document: JSONValue) throws -> any SweepTask {
        guard let value = document["task"] else {
            throw CrossbarError.invalidParameter(field: "task", value: "missing", allowed: "one of " + names.joined(separator: ", "))
        }
        guard let name = value.stringValue else {
            throw CrossbarError.invalidParameter(field: "task", value: "a \(value.typeName)", allowed: "a task name: one of " + names.joined(separator: ", "))
        }
        return try task(named: name)
    }
}
