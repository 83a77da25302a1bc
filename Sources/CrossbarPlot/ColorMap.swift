/// A sequential colour scale: evenly spaced colour stops, linearly interpolated in sRGB.
public struct ColorMap: Sendable, Hashable {
    public let name: String
    public let stops: [PlotColor]

    public init(name: String, stops: [PlotColor]) {
        precondition(stops.count >= 2, "a colour map needs at least two stops")
        self.name = name
        self.stops = stops
    }

    /// The colour at `t` ∈ [0, 1] (clamped): `t = 0` is the first stop, `t = 1` the last.
    public func color(at t: Double) -> PlotColor {
        guard t.isFinite else { return stops[0] }
        let u = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(u), stops.count - 2)
        return PlotColor.mix(stops[i], stops[i + 1], u - Double(i))
    }

    /// The colour of `value` on the scale `range` (values outside are clamped; a zero-width
    /// range maps everything to the middle colour).
    public func color(for value: Double, in range: ClosedRange<Double>) -> PlotColor {
        let w = range.upperBound - range.lowerBound
        return color(at: w > 0 ? (value - range.lowerBound) / w : 0.5)
    }

    /// The same scale run backwards.
    public var reversed: ColorMap { ColorMap(name: name + "_r", stops: stops.reversed()) }

    /// Viridis (van der Walt & Smith, matplotlib 2.0): perceptually uniform, monotone in
    /// lightness, readable in grey scale and with colour-vision deficiencies. Eleven evenly
    /// spaced samples of the original 256-entry table (viridisLite `viridis(11)`).
    public static let viridis = ColorMap(name: "viridis", stops: [
        "#440154", "#482576", "#414487", "#35608d", "#2a788e", "#21908c", "#22a884", "#43bf71", "#7ad151", "#bbdf27", "#fde725",
    ].map { PlotColor(hex: $0)! })
}
