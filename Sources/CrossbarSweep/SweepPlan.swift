/// The expanded, validated points of a sweep. Creating a plan checks everything that can be
/// checked without running: the axes (empty, duplicate or overlapping paths, repeated values,
/// zip lengths), the task names, and every point document through its task's `validate`.
/// Errors name the axis (and value) responsible where there is one.
public struct SweepPlan: Sendable {
    public let spec: SweepSpec
    /// All points in expansion order (`points[i].index == i`).
    public let points: [SweepPoint]

    /// More points than this is almost certainly a mistake in the sweep file.
    public static let maxPoints = 1_000_000

    /// Expands and validates `spec`; tasks come from `registry`.
    public init(spec: SweepSpec, registry: SweepTaskRegistry) throws {
        self.spec = spec
        let paths = try SweepPlan.checkAxes(spec)
        let points = try SweepPlan.expand(spec, paths: paths)
        try SweepPlan.checkPoints(points, spec: spec, paths: paths, registry: registry)
        try SweepPlan.checkReportSettings(spec)
        self.points = points
    }

    /// The points of `shard`, in expansion order.
    public func points(in shard: SweepShard) -> [SweepPoint] {
        points.filter { shard.contains($0.index) }
    }

    /// The axis paths of the sweep, in file order.
    public var axisPaths: [String] { spec.axes.map(\.path) }
}
