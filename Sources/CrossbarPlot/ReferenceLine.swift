/// A straight reference line across a panel: a horizontal threshold (y = value) or a vertical
/// event marker (x = value, e.g. a chopper sign switch), with an optional label.
public struct ReferenceLine: Sendable, Equatable {
    public enum Orientation: Sendable, Hashable {
        case horizontal
        case vertical
    }

    public var orientation: Orientation
    public var value: Double
    public var label: String?
    public var color: PlotColor
    public var style: LineStyle

    public init(_ orientation: Orientation, at value: Double, label: String? = nil, color: PlotColor = .gray, style: LineStyle = .dashed) {
        self.orientation = orientation
        self.value = value
        self.label = label
        self.color = color
        self.style = style
    }

    /// A dashed horizontal line at y = `y`.
    public static func horizontal(_ y: Double, label: String? = nil, color: PlotColor = .gray, style: LineStyle = .dashed) -> ReferenceLine {
        ReferenceLine(.horizontal, at: y, label: label, color: color, style: style)
    }

    /// A dashed vertical line at x = `x`.
    public static func vertical(_ x: Double, label: String? = nil, color: PlotColor = .gray, style: LineStyle = .dashed) -> ReferenceLine {
        ReferenceLine(.vertical, at: x, label: label, color: color, style: style)
    }
}
