import Foundation

/// Maps data values on one axis to pixels and lists the axis's ticks.
struct AxisMapping {
    let lo: Double
    let hi: Double
    let scale: AxisScale
    /// Pixel of `lo` and of `hi` (for a y axis pixel0 is the bottom).
    let pixel0: Double
    let pixel1: Double
    var ticks: [(value: Double, label: String, major: Bool)] = []

    /// The pixel of `v`, or nil if it cannot be shown (NaN, or ≤ 0 on a log axis).
    func pixel(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        let t: Double
        switch scale {
        case .linear: t = (v - lo) / (hi - lo)
        case .log:
            guard v > 0 else { return nil }
            t = (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
        }
        return pixel0 + t * (pixel1 - pixel0)
    }

    /// The data range of an axis: the fixed range, or the data's extent with a margin of
    /// `padding` × span (on a log axis, × decades). Never degenerate.
    static func range(of values: [Double], axis: PlotAxis, padding: Double) -> (Double, Double) {
        if let r = axis.range, r.lowerBound < r.upperBound, axis.scale == .linear || r.lowerBound > 0 {
            return (r.lowerBound, r.upperBound)
        }
        switch axis.scale {
        case .linear:
            let v = values.filter(\.isFinite)
            guard var lo = v.min(), var hi = v.max() else { return (0, 1) }
            if lo == hi {
                let pad = lo == 0 ? 1 : abs(lo) * 0.1
                return (lo - pad, hi + pad)
            }
            let pad = (hi - lo) * padding
            lo -= pad
            hi += pad
            return (lo, hi)
        case .log:
            let v = values.filter { $0.isFinite && $0 > 0 }
            guard let lo = v.min(), let hi = v.max() else { return (1, 10) }
            if lo == hi { return (lo / 10.0.squareRoot(), hi * 10.0.squareRoot()) }
            let f = pow(10, log10(hi / lo) * padding)
            return (lo / f, hi * f)
        }
    }

    /// Ticks for the axis over [lo, hi] (about `target` ticks on a linear axis).
    static func ticks(lo: Double, hi: Double, axis: PlotAxis, target: Int) -> [(value: Double, label: String, major: Bool)] {
        if let categories = axis.categories {
            return categories.enumerated().map { (Double($0.offset), $0.element, true) }
        }
        switch axis.scale {
        case .linear:
            let (t, step) = AxisTicks.linear(lo, hi, target: target)
            return t.map { ($0, PlotNumber.tickLabel($0, step: step), true) }
        case .log:
            let t = AxisTicks.logarithmic(lo, hi)
            // Fewer than two ticks in a narrow range: fall back to linear 1-2-5 ticks.
            if t.count < 2 {
                let (lt, step) = AxisTicks.linear(lo, hi, target: target)
                return lt.filter { $0 > 0 }.map { ($0, PlotNumber.tickLabel($0, step: step), true) }
            }
            // Label minor ticks only when there are few; one label style per axis (plain
            // numbers when every tick is between 10⁻³ and 10⁴, powers of ten otherwise).
            let labelMinor = t.count <= 8
            let plain = t.allSatisfy { $0.value >= 1e-3 && $0.value <= 1e4 }
            return t.map { tick in
                let label = tick.major || labelMinor ? (plain ? PlotNumber.compact(tick.value, significant: 3) : AxisTicks.logLabel(tick.value, plain: false)) : ""
                return (tick.value, label, tick.major)
            }
        }
    }
}

/// Approximate text width in pixels (Helvetica-like average advance of 0.6 em, generous for DejaVu Sans), used only for
/// layout (margins, legend boxes).
func estimatedTextWidth(_ s: String, fontSize: Double) -> Double {
    Double(s.count) * fontSize * 0.6
}

extension Figure {
    /// The SVG document.
    public func svg() -> String {
        // Layout: margins around a column of panels.
        let titleHeight: Double = (title?.isEmpty == false) ? 28 : 0
        let top = 12 + titleHeight
        let right: Double = 18
        let bottom: Double = 10 + 18 + (xAxis.label.isEmpty ? 0 : 20)
        let panelGap: Double = 14
        let panelTitleHeight: Double = 18

        // The shared x range over all panels.
        var xs: [Double] = []
        if let c = xAxis.categories {
            xs = c.isEmpty ? [0] : [-0.5, Double(c.count) - 0.5]
        } else {
            for p in panels {
                for s in p.series { xs += s.x }
                for r in p.referenceLines where r.orientation == .vertical { xs.append(r.value) }
            }
            for r in sharedMarkers where r.orientation == .vertical { xs.append(r.value) }
        }
        let (xlo, xhi) = xAxis.categories != nil ? (xs.min() ?? 0, xs.max() ?? 1) : AxisMapping.range(of: xs, axis: xAxis, padding: 0.02)

        // Per-panel y ranges and ticks (needed first: the widest tick label sets the left margin).
        var yRanges: [(Double, Double)] = []
        var yTicks: [[(value: Double, label: String, major: Bool)]] = []
        var maxLabel: Double = 0
        for p in panels {
            var ys: [Double] = []
            for s in p.series {
                for (i, y) in s.y.enumerated() where xAxis.categories != nil || xAxis.scale == .linear || s.x[i] > 0 {
                    ys.append(y)
                    if let sd = s.std, sd[i].isFinite { ys.append(y - sd[i]); ys.append(y + sd[i]) }
                }
            }
            for r in p.referenceLines + sharedMarkers where r.orientation == .horizontal { ys.append(r.value) }
            let (lo, hi) = AxisMapping.range(of: ys, axis: p.yAxis, padding: 0.05)
            let h = panelHeight * p.heightRatio
            let t = AxisMapping.ticks(lo: lo, hi: hi, axis: p.yAxis, target: max(3, Int(h / 50)))
            yRanges.append((lo, hi))
            yTicks.append(t)
            for tick in t { maxLabel = max(maxLabel, estimatedTextWidth(tick.label, fontSize: 11)) }
        }
        let hasYLabel = panels.contains { !$0.yAxis.label.isEmpty }
        let left = 10 + (hasYLabel ? 20 : 0) + maxLabel + 8
        let plotWidth = max(width - left - right, 40)
        var height = top + bottom
        for (i, p) in panels.enumerated() {
            height += panelHeight * p.heightRatio + ((p.title?.isEmpty == false) ? panelTitleHeight : 0)
            if i > 0 { height += panelGap }
        }

        var xMap = AxisMapping(lo: xlo, hi: xhi, scale: xAxis.categories != nil ? .linear : xAxis.scale, pixel0: left, pixel1: left + plotWidth)
        xMap.ticks = AxisMapping.ticks(lo: xlo, hi: xhi, axis: xAxis, target: max(3, Int(plotWidth / 90)))

        var svg = SVGWriter(width: width, height: height)
        if let title, !title.isEmpty {
            svg.element("text", ["x": PlotNumber.coordinate(width / 2), "y": "26", "text-anchor": "middle", "font-size": "15", "font-weight": "bold"], text: title)
        }

        var y0 = top
        for (i, panel) in panels.enumerated() {
            if i > 0 { y0 += panelGap }
            if let t = panel.title, !t.isEmpty {
                svg.element("text", ["x": PlotNumber.coordinate(left), "y": PlotNumber.coordinate(y0 + 13), "font-size": "12", "font-weight": "bold"], text: t)
                y0 += panelTitleHeight
            }
            let h = panelHeight * panel.heightRatio
            var yMap = AxisMapping(lo: yRanges[i].0, hi: yRanges[i].1, scale: panel.yAxis.scale, pixel0: y0 + h, pixel1: y0)
            yMap.ticks = yTicks[i]
            renderPanel(panel, index: i, xMap: xMap, yMap: yMap, isLast: i == panels.count - 1, into: &svg)
            y0 += h
        }
        if !xAxis.label.isEmpty {
            svg.element("text", ["x": PlotNumber.coordinate(left + plotWidth / 2), "y": PlotNumber.coordinate(height - 10), "text-anchor": "middle", "font-size": "12"], text: xAxis.label)
        }
        return svg.finish()
    }

    private func renderPanel(_ panel: PlotPanel, index: Int, xMap: AxisMapping, yMap: AxisMapping, isLast: Bool, into svg: inout SVGWriter) {
        let c = PlotNumber.coordinate
        let px = xMap.pixel0, pw = xMap.pixel1 - xMap.pixel0
        let py = yMap.pixel1, ph = yMap.pixel0 - yMap.pixel1
        svg.open("g", ["class": "panel", "id": "panel-\(index)"])
        svg.open("defs")
        svg.open("clipPath", ["id": "clip-panel-\(index)"])
        svg.element("rect", ["x": c(px), "y": c(py), "width": c(pw), "height": c(ph)])
        svg.close()
        svg.close()

        // Grid and ticks.
        svg.open("g", ["class": "grid", "stroke": PlotColor.lightGray.hex, "stroke-width": "1"])
        for t in xMap.ticks { if let x = xMap.pixel(t.value) { svg.element("line", ["x1": c(x), "y1": c(py), "x2": c(x), "y2": c(py + ph)]) } }
        for t in yMap.ticks { if let y = yMap.pixel(t.value) { svg.element("line", ["x1": c(px), "y1": c(y), "x2": c(px + pw), "y2": c(y)]) } }
        svg.close()
        svg.element("rect", ["x": c(px), "y": c(py), "width": c(pw), "height": c(ph), "fill": "none", "stroke": "#444444", "stroke-width": "1"])

        svg.open("g", ["class": "y-ticks", "font-size": "11", "text-anchor": "end", "fill": "#333333"])
        for t in yMap.ticks where !t.label.isEmpty {
            if let y = yMap.pixel(t.value) { svg.element("text", ["x": c(px - 5), "y": c(y + 4)], text: t.label) }
        }
        svg.close()
        svg.open("g", ["class": "x-ticks", "stroke": "#444444"])
        for t in xMap.ticks {
            if let x = xMap.pixel(t.value) { svg.element("line", ["x1": c(x), "y1": c(py + ph), "x2": c(x), "y2": c(py + ph + (t.major ? 4 : 2))]) }
        }
        svg.close()
        if isLast {
            svg.open("g", ["class": "x-tick-labels", "font-size": "11", "text-anchor": "middle", "fill": "#333333"])
            for t in xMap.ticks where !t.label.isEmpty {
                if let x = xMap.pixel(t.value) { svg.element("text", ["x": c(x), "y": c(py + ph + 17)], text: t.label) }
            }
            svg.close()
        }
        if !panel.yAxis.label.isEmpty {
            let cy = py + ph / 2
            svg.element("text", ["x": "0", "y": "0", "transform": "translate(16 \(c(cy))) rotate(-90)", "text-anchor": "middle", "font-size": "12"], text: panel.yAxis.label)
        }

        // Data, clipped to the plot area: bands, reference lines, lines, markers.
        svg.open("g", ["clip-path": "url(#clip-panel-\(index))"])
        for (si, s) in panel.series.enumerated() {
            guard let std = s.std else { continue }
            let color = s.color ?? PlotColor.series(si)
            for run in Figure.bandPolygons(s, std: std, xMap: xMap, yMap: yMap) {
                svg.element("path", ["class": "band", "d": run, "fill": color.hex, "fill-opacity": "0.2", "stroke": "none"])
            }
        }
        for r in panel.referenceLines + sharedMarkers {
            renderReferenceLine(r, xMap: xMap, yMap: yMap, into: &svg)
        }
        for (si, s) in panel.series.enumerated() {
            let color = s.color ?? PlotColor.series(si)
            for d in Figure.linePaths(s, xMap: xMap, yMap: yMap) {
                if let dash = s.style.dashArray {
                    svg.element("path", ["class": "series", "d": d, "fill": "none", "stroke": color.hex, "stroke-width": c(s.lineWidth), "stroke-linejoin": "round", "stroke-dasharray": dash])
                } else {
                    svg.element("path", ["class": "series", "d": d, "fill": "none", "stroke": color.hex, "stroke-width": c(s.lineWidth), "stroke-linejoin": "round"])
                }
            }
            if s.markers {
                svg.open("g", ["class": "markers", "fill": color.hex, "stroke": "#ffffff", "stroke-width": "0.8"])
                for i in s.x.indices {
                    if let x = xMap.pixel(s.x[i]), let y = yMap.pixel(s.y[i]) { svg.element("circle", ["cx": c(x), "cy": c(y), "r": "3"]) }
                }
                svg.close()
            }
        }
        svg.close()
        renderLegend(panel, xMap: xMap, yMap: yMap, into: &svg)
        svg.close()
    }

    private func renderReferenceLine(_ r: ReferenceLine, xMap: AxisMapping, yMap: AxisMapping, into svg: inout SVGWriter) {
        let c = PlotNumber.coordinate
        let dash = r.style.dashArray ?? "none"
        switch r.orientation {
        case .horizontal:
            guard let y = yMap.pixel(r.value) else { return }
            svg.element("line", ["class": "reference", "x1": c(xMap.pixel0), "y1": c(y), "x2": c(xMap.pixel1), "y2": c(y), "stroke": r.color.hex, "stroke-width": "1.2", "stroke-dasharray": dash])
            if let label = r.label, !label.isEmpty {
                svg.element("text", ["x": c(xMap.pixel1 - 4), "y": c(y - 4), "text-anchor": "end", "font-size": "10", "fill": r.color.hex], text: label)
            }
        case .vertical:
            guard let x = xMap.pixel(r.value) else { return }
            svg.element("line", ["class": "reference", "x1": c(x), "y1": c(yMap.pixel1), "x2": c(x), "y2": c(yMap.pixel0), "stroke": r.color.hex, "stroke-width": "1.2", "stroke-dasharray": dash])
            if let label = r.label, !label.isEmpty {
                svg.element("text", ["x": c(x + 3), "y": c(yMap.pixel1 + 11), "font-size": "10", "fill": r.color.hex], text: label)
            }
        }
    }

    private func renderLegend(_ panel: PlotPanel, xMap: AxisMapping, yMap: AxisMapping, into svg: inout SVGWriter) {
        let px = xMap.pixel0, pw = xMap.pixel1 - xMap.pixel0
        let py = yMap.pixel1, ph = yMap.pixel0 - yMap.pixel1
        let entries = panel.series.enumerated().filter { !$0.element.name.isEmpty }
        guard panel.legend != .none, !entries.isEmpty else { return }
        let c = PlotNumber.coordinate
        let rowHeight: Double = 16
        let textWidth = entries.map { estimatedTextWidth($0.element.name, fontSize: 11) }.max() ?? 0
        let w = 8 + 24 + 6 + textWidth + 8
        let h = 6 + rowHeight * Double(entries.count) + 2
        let inset: Double = 8
        func corner(_ position: LegendPosition) -> (Double, Double) {
            switch position {
            case .topRight, .none, .auto: (px + pw - w - inset, py + inset)
            case .topLeft: (px + inset, py + inset)
            case .bottomRight: (px + pw - w - inset, py + ph - h - inset)
            case .bottomLeft: (px + inset, py + ph - h - inset)
            }
        }
        var position = panel.legend
        if position == .auto {
            // Count the drawn vertices (and band edges) each candidate box would cover.
            var points: [(Double, Double)] = []
            for s in panel.series {
                for run in Figure.vertexRuns(x: s.x, y: s.y, step: s.step, xMap: xMap, yMap: yMap) { points += run }
                if let sd = s.std {
                    for sign in [-1.0, 1.0] {
                        let edge = s.y.indices.map { s.y[$0] + sign * sd[$0] }
                        for run in Figure.vertexRuns(x: s.x, y: edge, step: s.step, xMap: xMap, yMap: yMap) { points += run }
                    }
                }
            }
            var best = (LegendPosition.topRight, Int.max)
            for candidate in [LegendPosition.topRight, .topLeft, .bottomRight, .bottomLeft] {
                let (cx, cy) = corner(candidate)
                let covered = points.filter { $0.0 >= cx - 4 && $0.0 <= cx + w + 4 && $0.1 >= cy - 4 && $0.1 <= cy + h + 4 }.count
                if covered < best.1 { best = (candidate, covered) }
            }
            position = best.0
        }
        let (x, y) = corner(position)
        svg.open("g", ["class": "legend", "font-size": "11"])
        svg.element("rect", ["x": c(x), "y": c(y), "width": c(w), "height": c(h), "fill": "#ffffff", "fill-opacity": "0.85", "stroke": "#cccccc", "rx": "3"])
        for (row, (si, s)) in entries.enumerated() {
            let color = s.color ?? PlotColor.series(si)
            let cy = y + 6 + rowHeight * Double(row) + rowHeight / 2
            if s.std != nil {
                svg.element("rect", ["x": c(x + 8), "y": c(cy - 5), "width": "24", "height": "10", "fill": color.hex, "fill-opacity": "0.2"])
            }
            if let dash = s.style.dashArray {
                svg.element("line", ["x1": c(x + 8), "y1": c(cy), "x2": c(x + 32), "y2": c(cy), "stroke": color.hex, "stroke-width": c(s.lineWidth), "stroke-dasharray": dash])
            } else {
                svg.element("line", ["x1": c(x + 8), "y1": c(cy), "x2": c(x + 32), "y2": c(cy), "stroke": color.hex, "stroke-width": c(s.lineWidth)])
            }
            if s.markers { svg.element("circle", ["cx": c(x + 20), "cy": c(cy), "r": "3", "fill": color.hex, "stroke": "#ffffff", "stroke-width": "0.8"]) }
            svg.element("text", ["x": c(x + 38), "y": c(cy + 4)], text: s.name)
        }
        svg.close()
    }

    /// The vertices of a series as drawn: the points themselves, or for a step series the
    /// corners of the staircase (y[i] held from x[i] to x[i+1]). Returned as runs of pixel points
    /// separated where a value cannot be shown.
    static func vertexRuns(x: [Double], y: [Double], step: Bool, xMap: AxisMapping, yMap: AxisMapping) -> [[(Double, Double)]] {
        var runs: [[(Double, Double)]] = []
        var run: [(Double, Double)] = []
        for i in x.indices {
            guard let px = xMap.pixel(x[i]), let py = yMap.pixel(y[i]) else {
                if !run.isEmpty { runs.append(run); run = [] }
                continue
            }
            if step, let last = run.last { run.append((px, last.1)) }
            run.append((px, py))
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    static func linePaths(_ s: LineSeries, xMap: AxisMapping, yMap: AxisMapping) -> [String] {
        let c = PlotNumber.coordinate
        return vertexRuns(x: s.x, y: s.y, step: s.step, xMap: xMap, yMap: yMap).map { run in
            var d = ""
            for (k, p) in run.enumerated() { d += (k == 0 ? "M" : " L") + c(p.0) + " " + c(p.1) }
            if run.count == 1 { d += " l0 0" } // a lone point still gets a round dot with a cap
            return d
        }
    }

    static func bandPolygons(_ s: LineSeries, std: [Double], xMap: AxisMapping, yMap: AxisMapping) -> [String] {
        let c = PlotNumber.coordinate
        // Runs of indices where both band edges are drawable.
        var polygons: [String] = []
        var i = 0
        while i < s.x.count {
            var idx: [Int] = []
            while i < s.x.count, std[i].isFinite, yMap.pixel(s.y[i] + std[i]) != nil, yMap.pixel(s.y[i] - std[i]) != nil, xMap.pixel(s.x[i]) != nil {
                idx.append(i)
                i += 1
            }
            if idx.count >= 2 || (idx.count == 1 && s.step) {
                let xs = idx.map { s.x[$0] }
                let upper = vertexRuns(x: xs, y: idx.map { s.y[$0] + std[$0] }, step: s.step, xMap: xMap, yMap: yMap).first ?? []
                let lower = vertexRuns(x: xs, y: idx.map { s.y[$0] - std[$0] }, step: s.step, xMap: xMap, yMap: yMap).first ?? []
                var d = ""
                for (k, p) in (upper + lower.reversed()).enumerated() { d += (k == 0 ? "M" : " L") + c(p.0) + " " + c(p.1) }
                polygons.append(d + " Z")
            }
            if idx.isEmpty { i += 1 }
        }
        return polygons
    }
}
