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

@Suite struct HeatMapTests {
    @Test func viridisEndpointsMidpointAndClamping() {
        let v = ColorMap.viridis
        #expect(v.color(at: 0).hex == "#440154")
        #expect(v.color(at: 1).hex == "#fde725")
        #expect(v.color(at: 0.5).hex == "#21908c") // stop 5 of 0…10
        #expect(v.color(at: -3) == v.color(at: 0))
        #expect(v.color(at: 7) == v.color(at: 1))
        #expect(v.color(at: .nan) == v.color(at: 0))
        #expect(v.color(for: 5, in: 0...10) == v.color(at: 0.5))
        #expect(v.color(for: 4, in: 4...4) == v.color(at: 0.5))
        #expect(v.reversed.color(at: 0).hex == "#fde725")
        // Viridis gets monotonically lighter.
        let lum = (0...20).map { v.color(at: Double($0) / 20).luminance }
        for i in lum.indices.dropFirst() { #expect(lum[i] > lum[i - 1]) }
    }

    @Test func midpointInterpolation() {
        let m = ColorMap(name: "bw", stops: [.black, .white])
        #expect(m.color(at: 0.5).hex == "#808080") // 127.5 rounds to 128
        #expect(PlotColor(hex: "#12ab9F")?.hex == "#12ab9f")
        #expect(PlotColor(hex: "12345") == nil)
    }

    static func fig4() -> HeatMapFigure {
        let rows = ["0", "0.1", "0.2"], cols = ["10", "100", "1000"]
        return HeatMapFigure(
            title: "final weight error",
            maps: [
                HeatMap(title: "TTv2", rowLabels: rows, columnLabels: cols, values: [[1, 2, 3], [4, 5, 6], [7, 8, .nan]],
                        rowAxisLabel: "reference offset σ_r", columnAxisLabel: "number of states"),
                HeatMap(title: "AGAD", rowLabels: rows, columnLabels: cols, values: [[0, 1, 1], [1, 2, 2], [2, 3, 10]],
                        rowAxisLabel: "reference offset σ_r", columnAxisLabel: "number of states"),
            ],
            colorBarLabel: "error")
    }

    @Test func sideBySideMapsShareOneColourScale() throws {
        let f = Self.fig4()
        #expect(f.resolvedRange == 0...10)
        let xml = try #require(XMLStructure.parse(f.svg()))
        #expect(xml.all("g", class: "heatmap").count == 2)
        let cells = xml.all("rect", class: "cell")
        #expect(cells.count == 17) // 18 cells, one NaN
        let fills = cells.map { $0.attributes["fill"]! }
        // The value 1 appears in both maps and gets the same colour; 0 is the bottom of the
        // shared scale and 10 its top.
        let one = f.cellColor(1)!.hex
        #expect(fills.filter { $0 == one }.count == 4)
        #expect(fills.contains("#440154"))
        #expect(fills.contains("#fde725"))
        #expect(xml.all("g", class: "colorbar").count == 1)
        // Row labels once (shared), column labels under each map.
        #expect(xml.texts.filter { $0 == "0.2" }.count == 1)
        #expect(xml.texts.filter { $0 == "1000" }.count == 2)
        #expect(xml.texts.contains("error") && xml.texts.contains("TTv2") && xml.texts.contains("AGAD"))
    }

    @Test func nanCellsAreMissingAndNotAnnotated() throws {
        let f = Self.fig4()
        let xml = try #require(XMLStructure.parse(f.svg()))
        let missing = xml.all("rect", class: "cell missing")
        #expect(missing.count == 1)
        #expect(missing[0].attributes["fill"] == "url(#missing-cell)")
        #expect(xml.all("rect", class: "missing-key").count == 1)
        #expect(!xml.texts.contains("NaN"))
        #expect(xml.texts.contains("missing"))
        // Annotations: one per finite cell (17) with compact values.
        #expect(xml.texts.contains("10"))
        var g = f
        g.annotate = false
        let plain = try #require(XMLStructure.parse(g.svg()))
        #expect(xml.all("text").count - plain.all("text").count == 17)
    }

    @Test func annotationInkContrastsWithTheCell() throws {
        let f = Self.fig4()
        let xml = try #require(XMLStructure.parse(f.svg()))
        // The darkest cell (value 0, viridis purple) has white text, the lightest black.
        let zeroText = xml.all("text").first { $0.text == "0" && $0.attributes["fill"] != nil && $0.attributes["font-size"] == "10" }
        #expect(zeroText?.attributes["fill"] == "#ffffff")
        let tenText = xml.all("text").first { $0.text == "10" && $0.attributes["font-size"] == "10" }
        #expect(tenText?.attributes["fill"] == "#000000")
    }

    @Test func fixedRangeAndDeterminism() {
        var f = Self.fig4()
        f.valueRange = 0...20
        #expect(f.cellColor(10) == ColorMap.viridis.color(at: 0.5))
        #expect(f.cellColor(.nan) == nil)
        #expect(f.svg() == f.svg())
        #expect(f.svg() != Self.fig4().svg())
    }

    @Test func allNaNMapStillRenders() throws {
        let f = HeatMapFigure(maps: [HeatMap(title: "x", rowLabels: ["a"], columnLabels: ["b", "c"], values: [[.nan, .nan]])])
        #expect(f.resolvedRange == 0...1)
        let xml = try #require(XMLStructure.parse(f.svg()))
        #expect(xml.all("rect", class: "cell missing").count == 2)
    }
}
