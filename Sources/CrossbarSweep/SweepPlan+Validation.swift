import CrossbarFoundation

extension SweepPlan {
    /// Checks the axes themselves; returns their parsed paths.
    static func checkAxes(_ spec: SweepSpec) throws -> [JSONPath] {
        let sweep = "sweep '\(spec.name)'"
        guard !spec.axes.isEmpty else {
            throw CrossbarError.invalidParameter(field: "axes", value: "[]", allowed: "at least one axis {\"path\": …, \"values\": […]}")
        }
        var paths: [JSONPath] = []
        for (i, axis) in spec.axes.enumerated() {
            let path = try JSONPath(axis.path, field: "axes[\(i)].path")
            if axis.values.isEmpty {
                throw CrossbarError.message("\(sweep): axis '\(axis.path)' (axes[\(i)]) has no values (allowed: a non-empty list of values)")
            }
            var firstSeen: [String: Int] = [:]
            for (k, v) in axis.values.enumerated() {
                if let j = firstSeen[v.canonicalText] {
                    throw CrossbarError.message("\(sweep): axis '\(axis.path)' lists the value \(v.canonicalText) twice (positions \(j) and \(k)); every point must be distinct")
                }
                firstSeen[v.canonicalText] = k
            }
            for (j, earlier) in paths.enumerated() {
                if earlier == path {
                    throw CrossbarError.message("\(sweep): duplicate axis '\(axis.path)' (axes[\(j)] and axes[\(i)]); merge their values into one axis")
                }
                if earlier.isPrefix(of: path) || path.isPrefix(of: earlier) {
                    throw CrossbarError.message("\(sweep): axes '\(spec.axes[j].path)' (axes[\(j)]) and '\(axis.path)' (axes[\(i)]) overlap: one would overwrite the other")
                }
            }
            if spec.mode == .zip && !axis.group.isEmpty {
                throw CrossbarError.message("\(sweep): axis '\(axis.path)' has group '\(axis.group)', but groups only apply in mode 'grid' (in mode 'zip' every axis is zipped)")
            }
            paths.append(path)
        }
        for factor in factors(spec) where factor.count > 1 {
            let first = spec.axes[factor[0]]
            for a in factor.dropFirst() where spec.axes[a].values.count != first.values.count {
                let what = spec.mode == .zip ? "mode 'zip'" : "group '\(first.group)'"
                throw CrossbarError.message("\(sweep): \(what): axis '\(spec.axes[a].path)' has \(spec.axes[a].values.count) values but axis '\(first.path)' has \(first.values.count); zipped axes need the same number of values")
            }
        }
        return paths
    }

    /// Validates every point with its task; duplicate documents are errors.
    static func checkPoints(_ points: [SweepPoint], spec: SweepSpec, paths: [JSONPath], registry: SweepTaskRegistry) throws {
        var seen: [String: Int] = [:]
        for p in points {
            if let j = seen[p.id] {
                throw CrossbarError.message("sweep '\(spec.name)': points \(j) and \(p.index) are the same run document (\(p.label)); every point must be distinct")
            }
            seen[p.id] = p.index
            do {
                let task = try registry.task(for: p.document)
                try task.validate(point: p.document)
            } catch let e as CrossbarError {
                throw blame(e, point: p, spec: spec, paths: paths)
            }
        }
    }

    /// Rewrites a task's validation error so that it names the axis that set the faulty field
    /// (or says that the base document is at fault).
    static func blame(_ error: CrossbarError, point: SweepPoint, spec: SweepSpec, paths: [JSONPath]) -> CrossbarError {
        let field: String?
        switch error {
        case let .invalidParameter(f, _, _): field = f
        case let .unknownKey(f, key, _): field = f.isEmpty ? key : "\(f).\(key)"
        case .unknownName(kind: "task", _, _): field = "task"
        default: field = nil
        }
        let sweep = "sweep '\(spec.name)'"
        if let field, let fieldPath = try? JSONPath(field) {
            for (a, path) in paths.enumerated() where path.isPrefix(of: fieldPath) || fieldPath.isPrefix(of: path) {
                let v = point.assignments[a].value.canonicalText
                return .message("\(sweep): axis '\(spec.axes[a].path)' value \(v) (point \(point.index): \(point.label)): \(error.description)")
            }
            return .message("\(sweep): base document: \(error.description) (first seen at point \(point.index): \(point.label))")
        }
        return .message("\(sweep): point \(point.index) (\(point.label)): \(error.description)")
    }

    /// The report settings may only name swept axes.
    static func checkReportSettings(_ spec: SweepSpec) throws {
        let axes = Set(spec.axes.map(\.path))
        let r = spec.report
        func check(_ path: String, _ field: String) throws {
            if !axes.contains(path) {
                throw CrossbarError.invalidParameter(field: "report.\(field)", value: "'\(path)'", allowed: "a swept axis: " + spec.axes.map(\.path).joined(separator: ", "))
            }
        }
        for (i, p) in r.xAxes.enumerated() { try check(p, "x_axes[\(i)]") }
        for (i, p) in r.heatmap.enumerated() { try check(p, "heatmap[\(i)]") }
        for (i, p) in r.logX.enumerated() { try check(p, "log_x[\(i)]") }
        for p in r.fixed.keys.sorted() {
            try check(p, "fixed")
            let axis = spec.axes.first { $0.path == p }!
            if !axis.values.contains(r.fixed[p]!) {
                throw CrossbarError.invalidParameter(field: "report.fixed.\(p)", value: r.fixed[p]!.canonicalText, allowed: "one of the axis values " + axis.values.map(\.canonicalText).joined(separator: ", "))
            }
        }
        if !r.metric.isEmpty, !spec.metrics.isEmpty, !spec.metrics.contains(r.metric) {
            throw CrossbarError.invalidParameter(field: "report.metric", value: "'\(r.metric)'", allowed: "one of the sweep's metrics: " + spec.metrics.joined(separator: ", "))
        }
    }
}
