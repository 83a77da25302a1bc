import CrossbarFoundation

/// One value of one axis at a point.
public struct SweepAssignment: Sendable, Hashable {
    public var path: String
    public var value: JSONValue

    public init(path: String, value: JSONValue) {
        self.path = path
        self.value = value
    }
}

/// One expanded point of a sweep: the resolved run document and where it came from.
public struct SweepPoint: Sendable, Hashable {
    /// Position in expansion order (0-based); decides the shard.
    public let index: Int
    /// 16 lowercase hex digits: the first 64 bits of the SHA-256 of the document's canonical JSON
    /// (`JSONValue/canonicalText`). The same document always has the same id, whatever its
    /// position, shard or sweep.
    public let id: String
    /// The base document with every axis value set.
    public let document: JSONValue
    /// The axis values of this point, in the sweep file's axis order.
    public let assignments: [SweepAssignment]

    public init(index: Int, document: JSONValue, assignments: [SweepAssignment]) {
        self.index = index
        self.document = document
        self.assignments = assignments
        id = SweepPoint.id(of: document)
    }

    /// The task name (`document.task`), if it is a string.
    public var taskName: String? { document["task"]?.stringValue }

    /// The point's `seed` field (nil if absent).
    public var seed: JSONValue? { document["seed"] }

    /// The id of a run document (see ``id``).
    public static func id(of document: JSONValue) -> String {
        String(ContentDigest.sha256Hex(document.canonicalText.utf8).prefix(16))
    }

    /// `a=1, b=x` for messages.
    public var label: String {
        assignments.map { "\($0.path)=\($0.value.shortDescription)" }.joined(separator: ", ")
    }
}
