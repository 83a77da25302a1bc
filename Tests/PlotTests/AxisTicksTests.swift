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

@Suite struct AxisTicksTests {
    @Test func niceLinearTicks() {
        let a = AxisTicks.linear(0, 1, target: 5)
        #expect(a.step == 0.2)
        #expect(a.ticks.map { PlotNumber.tickLabel($0, step: a.step) } == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let b = AxisTicks.linear(0, 97, target: 5)
        #expect(b.step == 20)
        #expect(b.ticks == [0, 20, 40, 60, 80])
        let c = AxisTicks.linear(-3.7, 12.2, target: 5)
        #expect(c.step == 5)
        #expect(c.ticks == [0, 5, 10])
        let d = AxisTicks.linear(0.0012, 0.0049, target: 4)
        #expect(abs(d.step - 0.001) < 1e-15)
        #expect(d.ticks.count == 3) // 0.002, 0.003, 0.004
    }

    /// Over many random ranges: the step is 1, 2 or 5 × 10ᵏ, the ticks are multiples of it,
    /// evenly spaced, inside the range, and their number is within a factor ~2.5 of the target.
    @Test func linearTicksAreAlways125MultiplesInsideTheRange() {
        var g = Xoshiro256(seed: 7)
        for _ in 0..<2000 {
            let e = Double(Int(g.next() % 16)) - 8
            let lo = (g.nextUniformDouble() * 2 - 1) * pow(10, e)
            let hi = lo + g.nextUniformDouble() * pow(10, e) + 1e-12
            let target = 3 + Int(g.next() % 6)
            let (ticks, step) = AxisTicks.linear(lo, hi, target: target)
            let m = step / pow(10, floor(log10(step)))
            #expect([1, 2, 5].contains { abs(m - $0) < 1e-9 }, "step \(step)")
            #expect(ticks.count >= 1 && ticks.count <= 2 * target + 1, "\(ticks.count) ticks for target \(target)")
            for t in ticks {
                #expect(t >= lo - (hi - lo) * 1e-9 && t <= hi + (hi - lo) * 1e-9)
                let k = t / step
                #expect(abs(k - k.rounded()) < 1e-6)
            }
            for i in ticks.indices.dropFirst() { #expect(abs(ticks[i] - ticks[i - 1] - step) < step * 1e-6) }
        }
    }

    @Test func degenerateAndInvertedRanges() {
        let a = AxisTicks.linear(3, 3)
        #expect(!a.ticks.isEmpty && a.ticks.contains(3))
        #expect(AxisTicks.linear(1, 0).ticks == AxisTicks.linear(0, 1).ticks)
        #expect(AxisTicks.linear(.nan, 1).ticks.isEmpty)
    }

    @Test func logTicks() {
        let wide = AxisTicks.logarithmic(1e-3, 1e2)
        #expect(wide.map { $0.value } == [1e-3, 1e-2, 1e-1, 1, 10, 100])
        #expect(wide.allSatisfy { $0.major })
        let narrow = AxisTicks.logarithmic(1, 50)
        #expect(narrow.map(\.value) == [1, 2, 5, 10, 20, 50])
        #expect(narrow.filter(\.major).map(\.value) == [1, 10])
        // 20 decades: thinned to at most ~8 labelled decades.
        let huge = AxisTicks.logarithmic(1e-10, 1e10)
        #expect(huge.count <= 11 && huge.count >= 5)
        #expect(AxisTicks.logarithmic(0, 10).isEmpty)
        #expect(AxisTicks.logLabel(1e-5) == "10⁻⁵")
        #expect(AxisTicks.logLabel(100) == "100")
        #expect(AxisTicks.logLabel(1e6) == "10⁶")
    }

    @Test func numberFormatting() {
        #expect(PlotNumber.coordinate(12.345) == "12.35")
        #expect(PlotNumber.coordinate(3.0) == "3")
        #expect(PlotNumber.coordinate(0.1) == "0.1")
        #expect(PlotNumber.coordinate(-2.05) == "-2.05")
        #expect(PlotNumber.coordinate(-0.001) == "0")
        #expect(PlotNumber.coordinate(.nan) == "0")
        #expect(PlotNumber.tickLabel(0.1 + 0.2, step: 0.1) == "0.3")
        #expect(PlotNumber.tickLabel(-2, step: 1) == "−2")
        #expect(PlotNumber.tickLabel(1e-17, step: 0.5) == "0")
        #expect(PlotNumber.tickLabel(2e-5, step: 1e-5) == "2×10⁻⁵")
        #expect(PlotNumber.tickLabel(3e6, step: 1e6) == "3×10⁶")
        #expect(PlotNumber.compact(0.012345) == "0.0123")
        #expect(PlotNumber.compact(45.66) == "45.7")
        #expect(PlotNumber.compact(2.5) == "2.5")
        #expect(PlotNumber.compact(-1234) == "−1234")
        #expect(PlotNumber.compact(1.5e-5) == "1.5×10⁻⁵")
        #expect(PlotNumber.compact(.nan) == "NaN")
    }
}
