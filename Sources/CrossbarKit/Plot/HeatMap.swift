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
    /// Edge length of a cell in pixels.
    public var cellSize: Double

    public init(title: String? = nil, maps: [HeatMap], colorMap: ColorMap = .viridis, valueRange: ClosedRange<Double>? = nil,
                colorBarLabel: String = "", annotate: Bool = true, annotationDigits: Int = 3, firstRowAtBottom: Bool = false, cellSize: Double = 46)
    {
        self.title = title
        self.maps = maps
        self.colorMap = colorMap
        self.valueRange = valueRange
        self.colorBarLabel = colorBarLabel
        self.annotate = annotate
        self.annotationDigits = annotationDigits
        self.firstRowAtBottom = firstRowAtBottom
        self.cellSize = cellSize
    }

    /// The colour scale's range: `valueRange`, or the extent of the finite values (a single
    /// value v gives [v, v]; no finite value gives [0, 1]).
    public var resolvedRange: ClosedRange<Double> {
        if let valueRange { return valueRange }
        let v = maps.flatMap(\.finiteValues)
        guard let lo = v.min(), let hi = v.max() else { return 0...1 }
        return lo...hi
    }

    /// The fill colour of a cell holding `value` (nil for NaN/∞: drawn as missing).
    public func cellColor(_ value: Double) -> PlotColor? {
        guard value.isFinite else { return nil }
        return colorMap.color(for: value, in: resolvedRange)
    }

    /// Writes the SVG to `path` atomically (``AtomicFile``).
    public func write(to path: String) throws {
        try AtomicFile.write(svg(), to: path)
    }
}
