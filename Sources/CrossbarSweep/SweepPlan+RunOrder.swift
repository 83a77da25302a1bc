import CrossbarFoundation

extension SweepPlan {
    /// `points` in the order of ``SweepRunOptions/runOrder``: sorted by the position of each
    /// point's value in the named axes' `values` (the first name slowest), then by index. An
    /// empty order keeps index order. Throws if a name is not an axis of the sweep or repeats.
    public func ordered(_ points: [SweepPoint], by order: [String]) throws -> [SweepPoint] {
        guard !order.isEmpty else { return points }
        let axes = spec.axes.map(\.path)
        for (k, name) in order.enumerated() {
            guard axes.contains(name) else {
                throw CrossbarError.invalidParameter(field: "run_order", value: name,
                                                     allowed: "an axis of the sweep: \(axes.joined(separator: ", "))")
            }
            guard !order[..<k].contains(name) else {
                throw CrossbarError.invalidParameter(field: "run_order", value: name, allowed: "each axis at most once")
            }
        }
        let values = Dictionary(uniqueKeysWithValues: spec.axes.map { ($0.path, $0.values) })
        func key(_ p: SweepPoint) -> [Int] {
            order.map { name in
                let value = p.assignments.first { $0.path == name }?.value
                return value.flatMap { v in values[name]?.firstIndex(of: v) } ?? Int.max
            } + [p.index]
        }
        return points.map { (key($0), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }
}
