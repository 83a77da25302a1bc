/// How a line is stroked.
public enum LineStyle: Sendable, Hashable {
    case solid
    case dashed
    case dotted

    /// The SVG `stroke-dasharray` (nil for solid).
    var dashArray: String? {
        switch self {
        case .solid: nil
        case .dashed: "6 4"
        case .dotted: "1.5 3"
        }
    }
}

/// Where a panel's legend goes (inside the plot area).
public enum LegendPosition: Sendable, Hashable {
    /// The corner whose legend box would cover the fewest data points (ties: top right, top
    /// left, bottom right, bottom left).
    case auto
    case topRight
    case topLeft
    case bottomRight
    case bottomLeft
    case none
}

/// Linear or logarithmic (base 10) axis.
public enum AxisScale: Sendable, Hashable {
    case linear
    case log
}
