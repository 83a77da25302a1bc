import CrossbarFoundation

/// How `crossbar sweep report` summarises a sweep (the `report` object of a sweep file).
/// Every key is optional; see docs/sweeps.md.
public struct SweepReportSettings: ConfigRecord {
    /// The metric plotted (and listed first); empty: the sweep's first `metrics` entry, else the
    /// alphabetically first metric in the results.
    public var metric = ""
    /// The axis whose values become the lines of a plot and the panels of a heat map (one per
    /// algorithm); ignored when no axis has this path.
    public var series = "algorithm"
    /// The axis averaged over (mean ± standard deviation); ignored when no axis has this path.
    public var seedAxis = "seed"
    /// The axes to plot the metric against (one figure each); empty: every swept axis except
    /// the series and seed axes.
    public var xAxes: [String] = []
    /// Two axis paths `[rows, columns]` for a heat map; empty: the two swept axes when exactly
    /// two remain besides series and seed, else no heat map.
    public var heatmap: [String] = []
    /// Values of the other axes in the line plots and heat map (path → value); an axis not listed
    /// is held at its first value.
    public var fixed: [String: JSONValue] = [:]
    /// Axes plotted on a logarithmic x axis.
    public var logX: [String] = []
    /// Plot the metric on a logarithmic y axis (and colour scale labels stay linear).
    public var logY = false

    public init() {}

    public static let fields: [ConfigField<SweepReportSettings>] = [
        ConfigField("metric", \.metric),
        ConfigField("series", \.series),
        ConfigField("seed_axis", \.seedAxis),
        ConfigField("x_axes", \.xAxes),
        ConfigField("heatmap", \.heatmap),
        ConfigField("fixed", \.fixed),
        ConfigField("log_x", \.logX),
        ConfigField("log_y", \.logY),
    ]

    public func validate() throws {
        if !heatmap.isEmpty && heatmap.count != 2 {
            throw CrossbarError.invalidParameter(field: "heatmap", value: "\(heatmap.count) paths", allowed: "exactly two axis paths [rows, columns] (or none)")
        }
        if heatmap.count == 2 && heatmap[0] == heatmap[1] {
            throw CrossbarError.invalidParameter(field: "heatmap", value: "'\(heatmap[0])' twice", allowed: "two different axis paths")
        }
    }
}
