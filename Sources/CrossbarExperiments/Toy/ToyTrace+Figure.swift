import CrossbarPlot
import CrossbarAlgorithms

extension ToyTrace {
    /// The colours of the paper's Fig. 3 (Okabe–Ito shades where they exist).
    public enum Colors {
        public static let a = PlotColor(hex: "#0072b2")!       // blue
        public static let h = PlotColor(hex: "#009e73")!       // green
        public static let weight = PlotColor(hex: "#e69f00")!  // orange
        public static let p = PlotColor(hex: "#d7191c")!       // red
        public static let pRef = PlotColor(hex: "#7b3294")!    // violet
        public static let chopper = PlotColor(hex: "#999999")! // grey
    }

    /// The figure as in the paper's Fig. 3, three stacked panels over the update step:
    /// A (blue) with AGAD's p (red) and p_ref (violet); H (green) with its read points and the
    /// ±1 threshold (dotted); the weight (orange). Chopper switches are grey dashed vertical
    /// lines in every panel.
    ///
    /// Every trace is a step function of the update (A changes only at pulses, H, p and p_ref
    /// only at reads, the weight only at transfer writes), drawn as steps through the points
    /// where it changes, which keeps the SVG small.
    public func figure(title: String? = nil) -> Figure {
        func steps(_ name: String, _ v: [Float], color: PlotColor, width: Double) -> LineSeries {
            let (x, y) = Self.changePoints(step, v)
            return LineSeries(name, x: x, y: y, step: true, color: color, lineWidth: width)
        }
        var top = [steps("A", a, color: Colors.a, width: 1.6)]
        if let p { top.append(steps("p", p, color: Colors.p, width: 1.4)) }
        if let pRef { top.append(steps("p_ref", pRef, color: Colors.pRef, width: 1.4)) }
        let readX = readSteps.map(Double.init)
        let readY = readSteps.map { Double(h[$0 - 1]) }
        let buffer = [
            steps("H", h, color: Colors.h, width: 1.4),
            LineSeries("reads", x: readX, y: readY, markers: true, color: Colors.h, lineWidth: 0),
        ]
        let threshold: [ReferenceLine] = [
            .horizontal(1, color: .black, style: .dotted),
            .horizontal(-1, color: .black, style: .dotted),
        ]
        let weightSeries = [steps("weight", weight, color: Colors.weight, width: 2)]
        let name = title ?? defaultTitle
        return Figure(
            title: name,
            xAxis: PlotAxis("update"),
            panels: [
                PlotPanel(yAxis: PlotAxis("A (visible weight)"), series: top),
                PlotPanel(yAxis: PlotAxis("buffer H (threshold ±1)"), series: buffer, referenceLines: threshold),
                PlotPanel(yAxis: PlotAxis("weight W"), series: weightSeries, heightRatio: 0.8),
            ],
            sharedMarkers: chopperSwitches.map { .vertical(Double($0), color: Colors.chopper, style: .dashed) },
            width: 760, panelHeight: 200)
    }

    /// The points of a step function where its value changes: the first point, every point
    /// whose value differs from the previous one, and the last point.
    static func changePoints(_ steps: [Int], _ values: [Float]) -> (x: [Double], y: [Double]) {
        var x: [Double] = [], y: [Double] = []
        for k in values.indices where k == 0 || k == values.count - 1 || values[k] != values[k - 1] {
            x.append(Double(steps[k]))
            y.append(Double(values[k]))
        }
        return (x, y)
    }

    var defaultTitle: String {
        let names: [AlgorithmName: String] = [.ttv2: "TTv2", .cTTv2: "c-TTv2", .agad: "AGAD"]
        let o = experiment.offset
        let offsetText = o == 0 ? "no offset" : "reference offset \(o > 0 ? "+" : "")\(PlotNumber.compact(Double(o)))"
        return "\(names[experiment.algorithm] ?? experiment.algorithm.rawValue): constant gradient, \(offsetText)"
    }
}
