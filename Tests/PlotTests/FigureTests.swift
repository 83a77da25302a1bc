import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

@Suite struct FigureTests {
    static func threeSeries() -> Figure {
        let x = (0..<20).map(Double.init)
        return Figure(
            title: "error vs step",
            xAxis: PlotAxis("update step"),
            yAxis: PlotAxis("error"),
            series: [
                LineSeries("TTv2", x: x, y: x.map { 1 / ($0 + 1) }, std: x.map { 0.05 / ($0 + 1) }),
                LineSeries("c-TTv2", x: x, y: x.map { 0.8 / ($0 + 1) }, markers: true),
                LineSeries("AGAD", x: x, y: x.map { 0.5 / ($0 + 1) }, style: .dashed),
            ],
            referenceLines: [.horizontal(0.1, label: "target")])
    }

    @Test func lineFigureIsWellFormedXMLWithOnePathPerSeries() throws {
        let svg = Self.threeSeries().svg()
        let xml = try #require(XMLStructure.parse(svg))
        #expect(xml.elements.first?.name == "svg")
        #expect(xml.all("path", class: "series").count == 3)
        #expect(xml.all("path", class: "band").count == 1) // only TTv2 has a std band
        #expect(xml.all("circle").count == 20 + 1) // 20 markers + the legend sample
        #expect(xml.all("line", class: "reference").count == 1)
        let legend = xml.all("g", class: "legend")
        #expect(legend.count == 1)
        for name in ["TTv2", "c-TTv2", "AGAD", "target", "error vs step", "update step", "error"] {
            #expect(xml.texts.contains(name), "missing text \(name)")
        }
        // The series colours are distinct palette colours.
        let strokes = xml.all("path", class: "series").compactMap { $0.attributes["stroke"] }
        #expect(Set(strokes).count == 3)
        #expect(xml.all("path", class: "series")[2].attributes["stroke-dasharray"] != nil)
    }

    @Test func renderingIsDeterministic() {
        let a = Self.threeSeries().svg()
        let b = Self.threeSeries().svg()
        #expect(a == b)
        #expect(!a.isEmpty)
    }

    @Test func textIsEscaped() throws {
        let nasty = "a<b & \"c\" 'd' >"
        let f = Figure(title: nasty, xAxis: PlotAxis("x & y"), yAxis: PlotAxis("<y>"),
                       series: [LineSeries(nasty, x: [0, 1], y: [0, 1])])
        let svg = f.svg()
        #expect(!svg.contains(nasty))
        #expect(svg.contains("a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;"))
        let xml = try #require(XMLStructure.parse(svg))
        // The parser turns the entities back into the original text.
        #expect(xml.texts.filter { $0 == nasty }.count == 2) // title and legend
        #expect(xml.texts.contains("x & y"))
        #expect(xml.texts.contains("<y>"))
    }

    @Test func controlCharactersAreDroppedSoTheXMLStaysValid() throws {
        let f = Figure(title: "bell\u{07} and nul\u{01}", series: [LineSeries("s", x: [0, 1], y: [1, 2])])
        let xml = try #require(XMLStructure.parse(f.svg()))
        #expect(xml.texts.contains("bell and nul"))
    }

    @Test func nanBreaksTheLineIntoSeparateRuns() throws {
        let f = Figure(series: [LineSeries("gappy", x: [0, 1, 2, 3, 4, 5], y: [1, 2, .nan, 3, 4, .nan])])
        let xml = try #require(XMLStructure.parse(f.svg()))
        let paths = xml.all("path", class: "series")
        #expect(paths.count == 2)
        // First run has two vertices (M … L …), the second two as well.
        for p in paths { #expect(p.attributes["d"]!.filter { $0 == "L" }.count == 1) }
    }

    @Test func nanOnlySeriesDrawsNothingButTheFigureIsStillValid() throws {
        let f = Figure(series: [LineSeries("empty", x: [0, 1], y: [.nan, .nan])])
        let xml = try #require(XMLStructure.parse(f.svg()))
        #expect(xml.all("path", class: "series").isEmpty)
    }

    @Test func stepSeriesHasStaircaseVertices() {
        let xMap = AxisMapping(lo: 0, hi: 2, scale: .linear, pixel0: 0, pixel1: 200)
        let yMap = AxisMapping(lo: 0, hi: 1, scale: .linear, pixel0: 100, pixel1: 0)
        let runs = Figure.vertexRuns(x: [0, 1, 2], y: [0, 1, 0.5], step: true, xMap: xMap, yMap: yMap)
        #expect(runs.count == 1)
        let pts = runs[0].map { [$0.0, $0.1] }
        // (0,0) → hold to x=1 → jump to 1 → hold to x=2 → jump to 0.5.
        #expect(pts == [[0, 100], [100, 100], [100, 0], [200, 0], [200, 50]])
        let plain = Figure.vertexRuns(x: [0, 1, 2], y: [0, 1, 0.5], step: false, xMap: xMap, yMap: yMap)
        #expect(plain[0].count == 3)
    }

    @Test func stackedPanelsShareTheXAxisAndMarkers() throws {
        let steps = (0..<50).map(Double.init)
        let f = Figure(
            title: "toy trace",
            xAxis: PlotAxis("step"),
            panels: [
                PlotPanel(title: "A and H", yAxis: PlotAxis("value"),
                          series: [LineSeries("A", x: steps, y: steps.map { sin($0 / 5) }), LineSeries("H", x: steps, y: steps.map { cos($0 / 7) })],
                          referenceLines: [.horizontal(0.5, label: "threshold"), .horizontal(-0.5)]),
                PlotPanel(title: "weight", yAxis: PlotAxis("W"), series: [LineSeries("W", x: steps, y: steps.map { floor($0 / 10) / 5 }, step: true)],
                          heightRatio: 0.6),
            ],
            sharedMarkers: [.vertical(10, label: "switch"), .vertical(30)])
        let xml = try #require(XMLStructure.parse(f.svg()))
        #expect(xml.all("g", class: "panel").count == 2)
        // Tick labels of the shared x axis appear once, under the bottom panel.
        #expect(xml.all("g", class: "x-tick-labels").count == 1)
        // Two thresholds in panel 1, plus the two shared markers in each panel.
        #expect(xml.all("line", class: "reference").count == 2 + 2 * 2)
        // Unique clip paths per panel.
        let clipIDs = xml.all("clipPath").compactMap { $0.attributes["id"] }
        #expect(Set(clipIDs).count == 2)
        // Both panels map x identically: the shared marker at x=10 has the same pixel x.
        let markerXs = xml.all("line", class: "reference").filter { $0.attributes["x1"] == $0.attributes["x2"] }.map { $0.attributes["x1"]! }
        #expect(markerXs.count == 4)
        #expect(Set(markerXs).count == 2)
        #expect(xml.texts.contains("A and H") && xml.texts.contains("weight"))
    }

    @Test func logAxisDropsNonPositiveValuesAndLabelsDecades() throws {
        let f = Figure(xAxis: PlotAxis("states", scale: .log), yAxis: PlotAxis("error", scale: .log),
                       series: [LineSeries("s", x: [0, 10, 100, 1000, 10000], y: [1, 1e-1, 1e-2, 1e-3, 1e-5])])
        let xml = try #require(XMLStructure.parse(f.svg()))
        let d = xml.all("path", class: "series").map { $0.attributes["d"]! }
        // x = 0 cannot be shown on a log axis: one run of the four remaining points.
        #expect(d.count == 1)
        #expect(d[0].filter { $0 == "L" }.count == 3)
        #expect(xml.texts.contains("10⁻⁵"))
        #expect(xml.texts.contains("1000"))
    }

    @Test func categoricalXAxisLabelsEveryCategory() throws {
        let f = Figure(xAxis: PlotAxis("algorithm", categories: ["sgd", "ttv2", "agad"]),
                       series: [LineSeries("err", x: [0, 1, 2], y: [3, 2, 1], markers: true)])
        let xml = try #require(XMLStructure.parse(f.svg()))
        let labels = xml.all("g", class: "x-tick-labels")
        #expect(labels.count == 1)
        for name in ["sgd", "ttv2", "agad"] { #expect(xml.texts.contains(name)) }
    }

    @Test func writeIsAtomicAndMatchesTheRenderedText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let f = Self.threeSeries()
        try f.write(to: dir + "/f.svg")
        let written = try String(contentsOfFile: dir + "/f.svg", encoding: .utf8)
        #expect(written == f.svg())
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(listing == ["f.svg"]) // no temp file left
    }
}
