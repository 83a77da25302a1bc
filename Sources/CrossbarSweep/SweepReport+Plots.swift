import Foundation
import CrossbarFoundation
import CrossbarPlot

extension SweepReport {
    /// The axes the metric is plotted against: `report.x_axes`, else every parameter axis.
    public var plotAxes: [String] {
        settings.xAxes.isEmpty ? parameterAxes : settings.xAxes.filter { axes.contains($0) }
    }

    /// The values of the series axis (one line / heat-map panel each), or `[nil]` without one.
    var seriesValues: [JSONValue?] {
        guard let s = seriesAxis else { return [nil] }
        return axisValues[s] ?? []
    }

    /// `q = v, …` for the axes held fixed in a plot.
    func heldDescription(except plotted: [String]) -> String {
        parameterAxes.filter { !plotted.contains($0) }.compactMap { q in heldValue(q).map { "\(q) = \($0.shortDescription)" } }.joined(separator: ", ")
    }

    var seedNote: String {
        guard let seedAxis, let n = axisValues[seedAxis]?.count else { return "" }
        return " (mean ± std over \(n) \(seedAxis == "seed" ? "seeds" : "values of \(seedAxis)"))"
    }

    /// One figure per plot axis p: the metric against p, one line per series value, a shaded band
    /// of ± the standard deviation over seeds; the other parameter axes held at their
    /// `report.fixed` value or first value. With no parameter axis, the metric per series value.
    public func lineFigures() -> [(file: String, figure: Figure)] {
        guard !metric.isEmpty else { return [] }
        let yAxis = PlotAxis(metric + seedNote, scale: settings.logY ? .log : .linear)
        var out: [(String, Figure)] = []
        if plotAxes.isEmpty {
            // Only series (and seeds) swept: the metric per series value.
            let values = seriesValues.compactMap { $0 }
            guard !values.isEmpty, let s = seriesAxis else { return [] }
            let rowsBySeries = values.map { v in row([s: v]) }
            let series = LineSeries(metric, x: values.indices.map(Double.init), y: rowsBySeries.map { $0?.mean[metric] ?? .nan },
                                    std: rowsBySeries.map { $0?.std[metric] ?? .nan }, markers: true)
            let f = Figure(title: "\(metric) by \(s)", xAxis: PlotAxis(s, categories: values.map(\.shortDescription)), yAxis: yAxis, series: [series], legend: .none)
            return [(Self.fileName("\(metric)-by-\(s)"), f)]
        }
        for p in plotAxes {
            let xValues = axisValues[p] ?? []
            let numeric = xValues.allSatisfy { $0.doubleValue?.isFinite == true }
            let xs = numeric ? xValues.map { $0.doubleValue! } : xValues.indices.map(Double.init)
            var held: [String: JSONValue] = [:]
            for q in parameterAxes where q != p { held[q] = heldValue(q) }
            var series: [LineSeries] = []
            for (k, s) in seriesValues.enumerated() {
                var y: [Double] = [], sd: [Double] = []
                for v in xValues {
                    var key = held
                    key[p] = v
                    if let s, let axis = seriesAxis { key[axis] = s }
                    let r = row(key)
                    y.append(r?.mean[metric] ?? .nan)
                    sd.append(r?.std[metric] ?? .nan)
                }
                let name = s?.shortDescription ?? metric
                series.append(LineSeries(name, x: xs, y: y, std: seedAxis == nil ? nil : sd, markers: true, color: PlotColor.series(k)))
            }
            let heldText = heldDescription(except: [p])
            let xAxis = numeric ? PlotAxis(p, scale: settings.logX.contains(p) ? .log : .linear)
                : PlotAxis(p, categories: xValues.map(\.shortDescription))
            let title = "\(metric) vs \(p)" + (heldText.isEmpty ? "" : " (\(heldText))")
            out.append((Self.fileName("\(metric)-vs-\(p)"), Figure(title: title, xAxis: xAxis, yAxis: yAxis, series: series,
                                                                   legend: seriesAxis == nil ? .none : .auto)))
        }
        return out
    }

    /// The heat-map axes (rows, columns): `report.heatmap`, else the two parameter axes when there
    /// are exactly two.
    public var heatMapAxes: (rows: String, columns: String)? {
        if settings.heatmap.count == 2, axes.contains(settings.heatmap[0]), axes.contains(settings.heatmap[1]) {
            return (settings.heatmap[0], settings.heatmap[1])
        }
        if settings.heatmap.isEmpty, parameterAxes.count == 2 { return (parameterAxes[0], parameterAxes[1]) }
        return nil
    }

    /// The heat map of the metric's mean over seeds: rows × columns, one panel per series value
    /// (the paper's Fig. 4 layout), one shared colour scale; missing or failed cells are NaN.
    public func heatMapFigure() -> (file: String, figure: HeatMapFigure)? {
        guard !metric.isEmpty, let (r, c) = heatMapAxes else { return nil }
        let rowValues = axisValues[r] ?? [], columnValues = axisValues[c] ?? []
        var held: [String: JSONValue] = [:]
        for q in parameterAxes where q != r && q != c { held[q] = heldValue(q) }
        var maps: [HeatMap] = []
        for s in seriesValues {
            var grid: [[Double]] = []
            for rv in rowValues {
                var line: [Double] = []
                for cv in columnValues {
                    var key = held
                    key[r] = rv
                    key[c] = cv
                    if let s, let axis = seriesAxis { key[axis] = s }
                    let row = row(key)
                    line.append(row.flatMap { $0.okCount > 0 ? $0.mean[metric] : nil } ?? .nan)
                }
                grid.append(line)
            }
            maps.append(HeatMap(title: s?.shortDescription ?? metric, rowLabels: rowValues.map(\.shortDescription),
                                columnLabels: columnValues.map(\.shortDescription), values: grid, rowAxisLabel: r, columnAxisLabel: c))
        }
        let heldText = heldDescription(except: [r, c])
        let title = "\(metric)" + (seedAxis == nil ? "" : ", mean over seeds") + (heldText.isEmpty ? "" : " (\(heldText))")
        return (Self.fileName("\(metric)-heatmap"), HeatMapFigure(title: title, maps: maps, colorBarLabel: metric, logScale: settings.logY))
    }

    /// A file name from free text: characters other than letters, digits, `.`, `_` and `-` become `_`.
    static func fileName(_ stem: String) -> String {
        String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" }) + ".svg"
    }
}
