extension HeatMapFigure {
    /// The SVG document.
    public func svg() -> String {
        let c = PlotNumber.coordinate
        let cell = cellSize
        // Cells widen to fit their annotations and column labels.
        var widest: Double = 0
        for m in maps {
            for l in m.columnLabels { widest = max(widest, estimatedTextWidth(l, fontSize: 11) + 6) }
            if annotate {
                for v in m.values.joined() where cellColor(v) != nil {
                    widest = max(widest, estimatedTextWidth(PlotNumber.compact(v, significant: annotationDigits), fontSize: 10) + 8)
                }
            }
        }
        let cellWidth = max(cell, widest.rounded(.up))
        let titleHeight: Double = (title?.isEmpty == false) ? 30 : 0
        let mapTitleHeight: Double = 20
        let top = 10 + titleHeight + mapTitleHeight
        let rowLabelWidth = (maps.flatMap(\.rowLabels).map { estimatedTextWidth($0, fontSize: 11) }.max() ?? 0) + 8
        let hasRowAxisLabel = maps.contains { !$0.rowAxisLabel.isEmpty }
        let left = 10 + (hasRowAxisLabel ? 20 : 0) + rowLabelWidth
        let gap: Double = 18
        let maxRows = maps.map(\.rowLabels.count).max() ?? 0
        let hasColumnAxisLabel = maps.contains { !$0.columnAxisLabel.isEmpty }
        let gridHeight = Double(maxRows) * cell
        let bottom: Double = 8 + 18 + (hasColumnAxisLabel ? 20 : 0)
        let barTicks = colorBarTicks(target: max(3, Int(gridHeight / 45)))
        let barLabelWidth = barTicks.map { estimatedTextWidth($0.label, fontSize: 11) }.max() ?? 20
        let barWidth: Double = 14
        let hasMissing = maps.contains { $0.values.joined().contains { !$0.isFinite } }
        let barBlock = 24 + barWidth + 6 + barLabelWidth + (colorBarLabel.isEmpty ? 0 : 22) + 10
        var mapX: [Double] = []
        var x = left
        for (i, m) in maps.enumerated() {
            if i > 0 { x += gap }
            mapX.append(x)
            x += Double(m.columnLabels.count) * cellWidth
        }
        let width = max(x + barBlock, 200)
        let height = top + max(gridHeight, 60) + bottom

        var svg = SVGWriter(width: width, height: height)
        svg.open("defs")
        svg.open("pattern", ["id": "missing-cell", "patternUnits": "userSpaceOnUse", "width": "6", "height": "6", "patternTransform": "rotate(45)"])
        svg.element("rect", ["x": "0", "y": "0", "width": "6", "height": "6", "fill": "#f2f2f2"])
        svg.element("line", ["x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": "#b0b0b0", "stroke-width": "2"])
        svg.close()
        let gradientStops = 32
        svg.open("linearGradient", ["id": "color-scale", "x1": "0", "y1": "1", "x2": "0", "y2": "0"])
        for k in 0...gradientStops {
            let t = Double(k) / Double(gradientStops)
            svg.element("stop", ["offset": c(t * 100) + "%", "stop-color": colorMap.color(at: t).hex])
        }
        svg.close()
        svg.close()
        if let title, !title.isEmpty {
            svg.element("text", ["x": c(width / 2), "y": "26", "text-anchor": "middle", "font-size": "15", "font-weight": "bold"], text: title)
        }

        for (i, m) in maps.enumerated() {
            let x0 = mapX[i]
            let rows = m.rowLabels.count, cols = m.columnLabels.count
            let y0 = top + (gridHeight - Double(rows) * cell)
            svg.open("g", ["class": "heatmap", "id": "heatmap-\(i)"])
            svg.element("text", ["x": c(x0 + Double(cols) * cellWidth / 2), "y": c(top - 7), "text-anchor": "middle", "font-size": "12", "font-weight": "bold"], text: m.title)
            for r in 0..<rows {
                let drawRow = firstRowAtBottom ? rows - 1 - r : r
                let cy = y0 + Double(drawRow) * cell
                for col in 0..<cols {
                    let v = m.values[r][col]
                    let cx = x0 + Double(col) * cellWidth
                    if let color = cellColor(v) {
                        svg.element("rect", ["class": "cell", "x": c(cx), "y": c(cy), "width": c(cellWidth), "height": c(cell), "fill": color.hex])
                        if annotate {
                            let ink = color.luminance > 0.4 ? "#000000" : "#ffffff"
                            svg.element("text", ["x": c(cx + cellWidth / 2), "y": c(cy + cell / 2 + 4), "text-anchor": "middle", "font-size": "10", "fill": ink],
                                        text: PlotNumber.compact(v, significant: annotationDigits))
                        }
                    } else {
                        svg.element("rect", ["class": "cell missing", "x": c(cx), "y": c(cy), "width": c(cellWidth), "height": c(cell), "fill": "url(#missing-cell)"])
                    }
                }
            }
            svg.element("rect", ["x": c(x0), "y": c(y0), "width": c(Double(cols) * cellWidth), "height": c(Double(rows) * cell), "fill": "none", "stroke": "#444444", "stroke-width": "1"])
            // Column labels under every map; row labels left of the first map only when all maps
            // share them (the side-by-side layout), else left of each map.
            svg.open("g", ["font-size": "11", "text-anchor": "middle", "fill": "#333333"])
            for col in 0..<cols {
                svg.element("text", ["x": c(x0 + (Double(col) + 0.5) * cellWidth), "y": c(top + gridHeight + 16)], text: m.columnLabels[col])
            }
            svg.close()
            let sharedRows = maps.allSatisfy { $0.rowLabels == maps[0].rowLabels }
            if i == 0 || !sharedRows {
                svg.open("g", ["font-size": "11", "text-anchor": "end", "fill": "#333333"])
                for r in 0..<rows {
                    let drawRow = firstRowAtBottom ? rows - 1 - r : r
                    svg.element("text", ["x": c(x0 - 5), "y": c(y0 + (Double(drawRow) + 0.5) * cell + 4)], text: m.rowLabels[r])
                }
                svg.close()
            }
            if !m.columnAxisLabel.isEmpty {
                svg.element("text", ["x": c(x0 + Double(cols) * cellWidth / 2), "y": c(top + gridHeight + 36), "text-anchor": "middle", "font-size": "12"], text: m.columnAxisLabel)
            }
            if i == 0, !m.rowAxisLabel.isEmpty {
                svg.element("text", ["x": "0", "y": "0", "transform": "translate(16 \(c(top + gridHeight / 2))) rotate(-90)", "text-anchor": "middle", "font-size": "12"], text: m.rowAxisLabel)
            }
            svg.close()
        }

        // The colour bar with ticks, and a "missing" swatch when any cell is NaN.
        let bx = x + 24
        svg.open("g", ["class": "colorbar"])
        svg.element("rect", ["x": c(bx), "y": c(top), "width": c(barWidth), "height": c(gridHeight), "fill": "url(#color-scale)", "stroke": "#444444", "stroke-width": "0.8"])
        svg.open("g", ["font-size": "11", "fill": "#333333"])
        for t in barTicks {
            let ty = top + gridHeight * (1 - t.position)
            svg.element("line", ["x1": c(bx + barWidth), "y1": c(ty), "x2": c(bx + barWidth + (t.label.isEmpty ? 2 : 4)), "y2": c(ty), "stroke": "#444444"])
            if !t.label.isEmpty { svg.element("text", ["x": c(bx + barWidth + 6), "y": c(ty + 4)], text: t.label) }
        }
        svg.close()
        if !colorBarLabel.isEmpty {
            let lx = bx + barWidth + 6 + barLabelWidth + 14
            svg.element("text", ["x": "0", "y": "0", "transform": "translate(\(c(lx)) \(c(top + gridHeight / 2))) rotate(90)", "text-anchor": "middle", "font-size": "12"], text: colorBarLabel)
        }
        if hasMissing {
            svg.element("rect", ["class": "missing-key", "x": c(bx), "y": c(top + gridHeight + 6), "width": c(barWidth), "height": c(barWidth), "fill": "url(#missing-cell)", "stroke": "#444444", "stroke-width": "0.8"])
            svg.element("text", ["x": c(bx + barWidth + 6), "y": c(top + gridHeight + 17), "font-size": "11", "fill": "#333333"], text: "missing")
        }
        svg.close()
        return svg.finish()
    }

    /// Ticks of the colour bar: positions in [0, 1] along the bar and labels.
    func colorBarTicks(target: Int) -> [(position: Double, label: String)] {
        let r = resolvedRange
        var out: [(Double, String)] = []
        if logScale {
            let t = AxisTicks.logarithmic(r.lowerBound, r.upperBound)
            if t.filter(\.major).count >= 1 && t.count >= 2 {
                let plain = t.allSatisfy { $0.value >= 1e-3 && $0.value <= 1e4 }
                for tick in t {
                    guard let p = scalePosition(tick.value) else { continue }
                    let label = tick.major || t.count <= 8 ? (plain ? PlotNumber.compact(tick.value) : AxisTicks.logLabel(tick.value, plain: false)) : ""
                    out.append((p, label))
                }
                return out
            }
        }
        let (ticks, step) = AxisTicks.linear(r.lowerBound, r.upperBound, target: target)
        for v in ticks {
            guard let p = scalePosition(v), v >= r.lowerBound - 1e-12 * abs(step), v <= r.upperBound + 1e-12 * abs(step) else { continue }
            out.append((p, PlotNumber.tickLabel(v, step: step)))
        }
        return out
    }
}
