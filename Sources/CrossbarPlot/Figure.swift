import CrossbarFoundation

/// A figure of one or more line-plot panels stacked vertically and sharing the x axis.
///
/// ```swift
/// // The toy trace of the paper's Fig. 3: A and H against the threshold, then the weight.
/// let figure = Figure(
///     title: "c-TTv2 on the toy problem",
///     xAxis: PlotAxis("update step"),
///     panels: [
///         PlotPanel(yAxis: PlotAxis("value"),
///                   series: [LineSeries("A", y: a), LineSeries("H", y: h)],
///                   referenceLines: [.horizontal(threshold, label: "threshold"), .horizontal(-threshold)]),
///         PlotPanel(yAxis: PlotAxis("weight W"), series: [LineSeries("W", y: w, step: true)]),
///     ],
///     sharedMarkers: switches.map { .vertical($0) })   // chopper switches, in every panel
/// try figure.write(to: "fig3.svg")
/// ```
///
/// Rendering is deterministic (same figure ⇒ identical bytes): no clocks, no randomness, no
/// locale-dependent formatting.
public struct Figure: Sendable, Equatable {
    public var title: String?
    /// The shared x axis (label, scale, range or categories).
    public var xAxis: PlotAxis
    public var panels: [PlotPanel]
    /// Reference lines drawn in every panel (typically vertical event markers).
    public var sharedMarkers: [ReferenceLine]
    /// Total width in pixels.
    public var width: Double
    /// Height of a panel's plot area (× its `heightRatio`) in pixels.
    public var panelHeight: Double

    public init(title: String? = nil, xAxis: PlotAxis = PlotAxis(), panels: [PlotPanel], sharedMarkers: [ReferenceLine] = [],
                width: Double = 720, panelHeight: Double = 240)
    {
        self.title = title
        self.xAxis = xAxis
        self.panels = panels
        self.sharedMarkers = sharedMarkers
        self.width = width
        self.panelHeight = panelHeight
    }

    /// A single-panel figure.
    public init(title: String? = nil, xAxis: PlotAxis = PlotAxis(), yAxis: PlotAxis = PlotAxis(), series: [LineSeries],
                referenceLines: [ReferenceLine] = [], legend: LegendPosition = .auto, width: Double = 720, panelHeight: Double = 300)
    {
        self.init(title: title, xAxis: xAxis,
                  panels: [PlotPanel(yAxis: yAxis, series: series, referenceLines: referenceLines, legend: legend)],
                  width: width, panelHeight: panelHeight)
    }

    /// Writes the SVG to `path` atomically (`AtomicFile`).
    public func write(to path: String) throws {
        try AtomicFile.write(svg(), to: path)
    }
}
