import CrossbarFoundation

/// One axis of a sweep: a path into the base run document and the values it takes.
///
/// JSON: `{"path": "device.reference_std", "values": [0, 0.1, 0.2, 0.5]}`, optionally with
/// `"group": "name"` — in grid mode, axes with the same group are zipped together (equal
/// lengths) and vary as one factor of the product.
public struct SweepAxis: ConfigRecord {
    /// A `JSONPath` into the run document (`algorithm`, `seed`, `device.dw_min`, `devices[0].dw_min`).
    public var path = ""
    /// The values, in order; any JSON values (numbers, strings, objects …) the task accepts there.
    public var values: [JSONValue] = []
    /// Zip group (grid mode only); empty: the axis is its own factor.
    public var group = ""

    public init() {}

    public init(path: String, values: [JSONValue], group: String = "") {
        self.path = path
        self.values = values
        self.group = group
    }

    public static let fields: [ConfigField<SweepAxis>] = [
        ConfigField("path", \.path),
        ConfigField("values", \.values),
        ConfigField("group", \.group),
    ]
}
