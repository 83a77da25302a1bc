/// One axis of a plot: its label, scale and (optionally) fixed range or categories.
public struct PlotAxis: Sendable, Equatable {
    public var label: String
    public var scale: AxisScale
    /// A fixed range; nil: fitted to the data (with a small margin on linear axes).
    public var range: ClosedRange<Double>?
    /// Categorical axis: category `i` sits at x = i (use these positions as the series' x
    /// values) and is labelled `categories[i]`. Only for the shared x axis.
    public var categories: [String]?

    public init(_ label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil, categories: [String]? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
        self.categories = categories
    }
}

/// One panel of a ``Figure``: a y axis, line series and reference lines; the x axis is the
/// figure's, shared by all panels.
public struct PlotPanel: Sendable, Equatable {
    public var title: String?
    public var yAxis: PlotAxis
    public var series: [LineSeries]
    public var referenceLines: [ReferenceLine]
    public var legend: LegendPosition
    /// Relative height (1 = the figure's `panelHeight`).
    public var heightRatio: Double

    public init(title: String? = nil, yAxis: PlotAxis = PlotAxis(), series: [LineSeries] = [], referenceLines: [ReferenceLine] = [],
                legend: LegendPosition = .auto, heightRatio: Double = 1)
    {
        self.title = title
        self.yAxis = yAxis
        self.series = series
        self.referenceLines = referenceLines
        self.legend = legend
        self.heightRatio = heightRatio
    }
}
