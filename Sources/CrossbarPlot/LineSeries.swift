/// One named line of a panel: points (x, y), optionally a shaded ±std band, markers, a step
/// shape and a dash style. NaN (or, on a log axis, non-positive) values break the line.
public struct LineSeries: Sendable, Equatable {
    /// Legend text (an empty name keeps the series out of the legend).
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Half-widths of the shaded band y ± std (same count as `y`), e.g. the standard deviation
    /// over seeds; nil for no band.
    public var std: [Double]?
    public var style: LineStyle
    /// Draw as a step function: y[i] holds from x[i] up to x[i+1] (like a device weight that
    /// changes only at pulses).
    public var step: Bool
    /// Draw a circle at every point.
    public var markers: Bool
    /// nil: the panel palette colour of the series' position.
    public var color: PlotColor?
    /// Stroke width in pixels.
    public var lineWidth: Double

    public init(_ name: String, x: [Double], y: [Double], std: [Double]? = nil, style: LineStyle = .solid,
                step: Bool = false, markers: Bool = false, color: PlotColor? = nil, lineWidth: Double = 1.8)
    {
        precondition(x.count == y.count, "series '\(name)': \(x.count) x values but \(y.count) y values")
        if let std { precondition(std.count == y.count, "series '\(name)': \(std.count) std values but \(y.count) y values") }
        self.name = name
        self.x = x
        self.y = y
        self.std = std
        self.style = style
        self.step = step
        self.markers = markers
        self.color = color
        self.lineWidth = lineWidth
    }

    /// A series over x = 0, 1, 2, … (e.g. a trace indexed by update step).
    public init(_ name: String, y: [Double], std: [Double]? = nil, style: LineStyle = .solid, step: Bool = false,
                markers: Bool = false, color: PlotColor? = nil)
    {
        self.init(name, x: y.indices.map(Double.init), y: y, std: std, style: style, step: step, markers: markers, color: color)
    }
}
