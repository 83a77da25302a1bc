import Foundation
import CrossbarFoundation

/// One heat map: a grid of values with labelled rows and columns, e.g. the reference offset σ_r
/// (rows) × the number of device states (columns) for one algorithm. NaN cells are drawn as
/// missing (hatched).
public struct HeatMap: Sendable, Equatable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`.
    public var values: [[Double]]
    public var rowAxisLabel: String
    public var columnAxisLabel: String

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]], rowAxisLabel: String = "", columnAxisLabel: String = "") {
        precondition(values.count == rowLabels.count, "heat map '\(title)': \(values.count) rows of values for \(rowLabels.count) row labels")
        for (r, row) in values.enumerated() {
            precondition(row.count == columnLabels.count, "heat map '\(title)': row \(r) has \(row.count) values for \(columnLabels.count) column labels")
        }
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowAxisLabel = rowAxisLabel
        self.columnAxisLabel = columnAxisLabel
    }

    /// The finite values of the grid.
    var finiteValues: [Double] { values.flatMap { $0 }.filter(\.isFinite) }
}

/// Heat maps side by side with one shared colour scale and colour bar — the layout of the
/// paper's Fig. 4 (one panel per algorithm).
public struct HeatMapFigure: Sendable, Equatable {
    public var title: String?
    public var maps: [HeatMap]
    public var colorMap: ColorMap
    /// The value range of the colour scale; nil: the extent of all finite values of all maps.
    public var valueRange: ClosedRange<Double>?
    /// Label of the colour bar (the metric).
    public var colorBarLabel: String
    /// Write each cell's value into it.
    public var annotate: Bool
    /// Significant digits of the annotations.
    public var annotationDigits: Int
    /// Draw the first row at the bottom (like a y axis) instead of at the top (like a table).
    public var firstRowAtBottom: Bool
    /// Colour by log₁₀ of the value (for values spanning decades); non-positive cells are missing.
    public var logScale: Bool
    /// Height of a cell in pixels (its width grows, if needed, to fit the annotations and labels).
    public var cellSize: Double

    public init(title: String? = nil, maps: [HeatMap], colorMap: ColorMap = .viridis, valueRange: ClosedRange<Double>? = nil,
                colorBarLabel: String = "", annotate: Bool = true, annotationDigits: Int = 3, firstRowAtBottom: Bool = false, logScale: Bool = false,
                cellSize: Double = 46)
    {
        self.title = title
        self.maps = maps
        self.colorMap = colorMap
        self.valueRange = valueRange
        self.colorBarLabel = colorBarLabel
        self.annotate = annotate
        self.annotationDigits = annotationDigits
        self.firstRowAtBottom = firstRowAtBottom
        self.logScale = logScale
        self.cellSize = cellSize
    }

    /// The colour scale's range: `valueRange`, or the extent of the drawable values (finite;
    /// positive on a log scale) of all maps (a single value v gives [v, v]; none gives [0, 1],
    /// or [1, 10] on a log scale).
    public var resolvedRange: ClosedRange<Double> {
        if let valueRange, !logScale || valueRange.lowerBound > 0 { return valueRange }
        let v = maps.flatMap(\.finiteValues).filter { !logScale || $0 > 0 }
        guard let lo = v.min(), let hi = v.max() else { return logScale ? 1...10 : 0...1 }
        return lo...hi
    }

    /// Position of `value` on the colour scale, in [0, 1] (clamped), or nil if it cannot be shown.
    func scalePosition(_ value: Double) -> Double? {
        guard value.isFinite, !logScale || value > 0 else { return nil }
        let r = resolvedRange
        let (a, b, v) = logScale ? (log10(r.lowerBound), log10(r.upperBound), log10(value)) : (r.lowerBound, r.upperBound, value)
        return b > a ? min(max((v - a) / (b - a), 0), 1) : 0.5
    }

    /// The fill colour of a cell holding `value` (nil for NaN/∞, or ≤ 0 on a log scale: drawn
    /// as missing).
    public func cellColor(_ value: Double) -> PlotColor? {
        scalePosition(value).map { colorMap.color(at: $0) }
    }

    /// Writes the SVG to `path` atomically (`AtomicFile`).
    public func write(to path: String) throws {
        try AtomicFile.write(svg(), to: path)
    }
}
