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
    public func figure(title: String? = nil) -> Figure {
        let xs = step.map(Double.init)
        func d(_ v: [Float]) -> [Double] { v.map(Double.init) }
        var top = [LineSeries("A", x: xs, y: d(a), color: Colors.a, lineWidth: 1.6)]
        if let p { top.append(LineSeries("p", x: xs, y: d(p), step: true, color: Colors.p, lineWidth: 1.4)) }
        if let pRef { top.append(LineSeries("p_ref", x: xs, y: d(pRef), step: true, color: Colors.pRef, lineWidth: 1.4)) }
        let readX = readSteps.map(Double.init)
        let readY = readSteps.map { Double(h[$0 - 1]) }
        let buffer = [
            LineSeries("H", x: xs, y: d(h), step: true, color: Colors.h, lineWidth: 1.4),
            LineSeries("reads", x: readX, y: readY, markers: true, color: Colors.h, lineWidth: 0),
        ]
        let threshold: [ReferenceLine] = [
            .horizontal(1, color: .black, style: .dotted),
            .horizontal(-1, color: .black, style: .dotted),
        ]
        let weightSeries = [LineSeries("weight", x: xs, y: d(weight), step: true, color: Colors.weight, lineWidth: 2)]
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

    var defaultTitle: String {
        let names: [AlgorithmName: String] = [.ttv2: "TTv2", .cTTv2: "c-TTv2", .agad: "AGAD"]
        let o = experiment.offset
        let offsetText = o == 0 ? "no offset" : "reference offset \(o > 0 ? "+" : "")\(PlotNumber.compact(Double(o)))"
        return "\(names[experiment.algorithm] ?? experiment.algorithm.rawValue): constant gradient, \(offsetText)"
    }
}
