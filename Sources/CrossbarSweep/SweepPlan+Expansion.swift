import CrossbarFoundation

extension SweepPlan {
    /// The factors of the product: lists of axis positions zipped together, in the order of
    /// their first axis. Grid mode: one factor per ungrouped axis, one per group; zip mode: one.
    static func factors(_ spec: SweepSpec) -> [[Int]] {
        if spec.mode == .zip { return [Array(spec.axes.indices)] }
        var factors: [[Int]] = []
        var groupFactor: [String: Int] = [:]
        for (i, axis) in spec.axes.enumerated() {
            if axis.group.isEmpty {
                factors.append([i])
            } else if let f = groupFactor[axis.group] {
                factors[f].append(i)
            } else {
                groupFactor[axis.group] = factors.count
                factors.append([i])
            }
        }
        return factors
    }

    /// Expands the axes into points: the Cartesian product of the factors, the first factor
    /// varying slowest (like nested loops in file order); within a factor, value k of every
    /// zipped axis goes together.
    static func expand(_ spec: SweepSpec, paths: [JSONPath]) throws -> [SweepPoint] {
        let factors = factors(spec)
        let lengths = factors.map { spec.axes[$0[0]].values.count }
        var total = 1
        for n in lengths {
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            if overflow || product > maxPoints {
                throw CrossbarError.invalidParameter(field: "axes", value: "more than \(maxPoints) points", allowed: "at most \(maxPoints) points per sweep (split it)")
            }
            total = product
        }
        var points: [SweepPoint] = []
        points.reserveCapacity(total)
        var counters = [Int](repeating: 0, count: factors.count)
        for index in 0..<total {
            var document = spec.base
            var chosen = [JSONValue?](repeating: nil, count: spec.axes.count)
            for (f, axes) in factors.enumerated() {
                for a in axes { chosen[a] = spec.axes[a].values[counters[f]] }
            }
            for (a, axis) in spec.axes.enumerated() {
                let value = chosen[a]!
                do {
                    try document.set(value, at: paths[a])
                } catch let e as CrossbarError {
                    throw CrossbarError.message("sweep '\(spec.name)': axis '\(axis.path)' value \(value.canonicalText): cannot set it in the base document: \(e.description)")
                }
            }
            let assignments = spec.axes.enumerated().map { SweepAssignment(path: $0.element.path, value: chosen[$0.offset]!) }
            points.append(SweepPoint(index: index, document: document, assignments: assignments))
            // Advance the odometer: the last factor fastest.
            var f = factors.count - 1
            while f >= 0 {
                counters[f] += 1
                if counters[f] < lengths[f] { break }
                counters[f] = 0
                f -= 1
            }
        }
        return points
    }
}
