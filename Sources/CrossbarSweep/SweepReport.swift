import Foundation
import CrossbarFoundation

/// The summary of a sweep's results: points grouped by their swept values except the seed,
/// with the mean and standard deviation of every metric over the seeds; rendered as Markdown
/// and CSV tables, line plots and a heat map (see docs/sweeps.md, "Reports").
public struct SweepReport: Sendable {
    /// One group of points that differ only in their seed.
    public struct Row: Sendable {
        /// The values of every axis except the seed axis, in axis order.
        public var values: [SweepAssignment]
        /// Successful points in the group (the n of the statistics), failed ones and diverged ones.
        public var okCount: Int
        public var failedCount: Int
        public var divergedCount: Int
        /// Mean of each metric over the successful points (NaN when there are none).
        public var mean: [String: Double]
        /// Sample standard deviation (n − 1 denominator) of each metric; NaN when n < 2.
        public var std: [String: Double]
        /// Smallest expansion index of the group.
        public var firstIndex: Int

        public func value(of axis: String) -> JSONValue? { values.first { $0.path == axis }?.value }
    }

    public let name: String
    /// Every axis, in the sweep file's order.
    public let axes: [String]
    /// The seed axis if it is swept.
    public let seedAxis: String?
    /// The series axis (lines of the plots, panels of the heat map) if it is swept.
    public let seriesAxis: String?
    /// The remaining axes: the parameters.
    public let parameterAxes: [String]
    /// The distinct values of each axis: numeric axes in increasing order, others in order of
    /// first appearance.
    public let axisValues: [String: [JSONValue]]
    /// The metrics of the tables.
    public let metrics: [String]
    /// The metric of the plots.
    public let metric: String
    public let settings: SweepReportSettings
    /// The groups, ordered axis by axis by the values' order in ``axisValues``.
    public let rows: [Row]
    /// The latest record of every point.
    public let records: [SweepRecord]

    /// The sweep a record belongs to: its sweep's `name`.
    static func sweepName(_ r: SweepRecord) -> String {
        r.sweep["name"]?.stringValue ?? ""
    }

    /// The distinct sweep names of `records` in order of first appearance, with their point counts.
    public static func sweepNames(_ records: [SweepRecord]) -> [(name: String, count: Int)] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for r in records {
            let n = sweepName(r)
            if counts[n] == nil { order.append(n) }
            counts[n, default: 0] += 1
        }
        return order.map { (name: $0, count: counts[$0]!) }
    }

    /// Builds the report from results (any order; the latest record of each id counts).
    /// `settings` defaults to the settings stored in the records; `metric` overrides the plotted
    /// metric; `metrics` the table's metrics. Results of several sweeps (different `name` or
    /// task) are never mixed: `sweep` selects one by name, and without it such results are
    /// refused with the names and point counts of the sweeps they hold.
    public init(records all: [SweepRecord], settings: SweepReportSettings? = nil, metrics: [String]? = nil, metric: String? = nil,
                sweep selected: String? = nil) throws {
        var records = SweepRecord.latest(all)
        let names = Self.sweepNames(records)
        if let selected {
            records = records.filter { Self.sweepName($0) == selected }
            guard !records.isEmpty else {
                throw CrossbarError.unknownName(kind: "sweep", name: selected, known: names.map(\.name))
            }
        } else if names.count > 1 {
            let list = names.map { "'\($0.name)' (\($0.count) points)" }.joined(separator: ", ")
            throw CrossbarError.message("the results mix \(names.count) sweeps: \(list); report one at a time (crossbar sweep report --sweep NAME)")
        }
        guard let first = records.first else { throw CrossbarError.message("no results to report (the results file is empty)") }
        if let other = records.first(where: { $0.task != first.task }) {
            throw CrossbarError.message("the results of sweep '\(Self.sweepName(first))' mix tasks: point \(first.id) ran '\(first.task)', point \(other.id) ran '\(other.task)'; report them separately")
        }
        self.records = records
        name = first.sweep["name"]?.stringValue ?? ""
        if let settings {
            self.settings = settings
        } else if let stored = first.sweep["report"], case .object = stored {
            self.settings = (try? stored.decode(SweepReportSettings.self, what: "stored report settings")) ?? SweepReportSettings()
        } else {
            self.settings = SweepReportSettings()
        }
        axes = first.axes.map(\.path)
        for r in records where r.axes.map(\.path) != axes {
            throw CrossbarError.message("the results mix different sweeps: point \(r.id) (index \(r.index)) has axes [\(r.axes.map(\.path).joined(separator: ", "))], point \(first.id) has [\(axes.joined(separator: ", "))]; report them separately")
        }
        var axisValues: [String: [JSONValue]] = [:]
        for r in records {
            for a in r.axes where !(axisValues[a.path] ?? []).contains(a.value) { axisValues[a.path, default: []].append(a.value) }
        }
        // Numeric axes in increasing order (plots draw lines through them in this order).
        for (axis, values) in axisValues where values.allSatisfy({ $0.doubleValue != nil }) {
            axisValues[axis] = values.sorted { $0.doubleValue! < $1.doubleValue! }
        }
        self.axisValues = axisValues
        let seedAxis = axes.contains(self.settings.seedAxis) ? self.settings.seedAxis : nil
        let seriesAxis = axes.contains(self.settings.series) ? self.settings.series : nil
        self.seedAxis = seedAxis
        self.seriesAxis = seriesAxis
        parameterAxes = axes.filter { $0 != seedAxis && $0 != seriesAxis }

        // Metrics: the given list, else the sweep's `metrics`, else every metric reported; the
        // plotted metric: the given one, else `report.metric`, else the first of the list.
        let okRecords = records.filter { $0.status == .ok }
        let stored = first.sweep["metrics"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let seen = Set(okRecords.flatMap { $0.metrics.keys }).sorted()
        var metricList = metrics ?? (stored.isEmpty ? seen : stored)
        let chosen = metric ?? (self.settings.metric.isEmpty ? (metricList.first ?? "") : self.settings.metric)
        if !chosen.isEmpty, !seen.isEmpty, !seen.contains(chosen) {
            throw CrossbarError.unknownName(kind: "metric", name: chosen, known: seen)
        }
        if !chosen.isEmpty, !metricList.contains(chosen) { metricList.insert(chosen, at: 0) }
        self.metrics = metricList
        self.metric = chosen

        // Group by every axis value except the seed.
        var groups: [String: [SweepRecord]] = [:]
        var order: [String] = []
        for r in records {
            let key = JSONValue.array(r.axes.filter { $0.path != seedAxis }.map { .array([.string($0.path), $0.value]) }).canonicalText
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        let list = metricList
        rows = order.map { key in
            let members = groups[key]!
            let ok = members.filter { $0.status == .ok }
            var mean: [String: Double] = [:], std: [String: Double] = [:]
            for m in list {
                let stats = SweepReport.meanAndStd(ok.compactMap { $0.metrics[m] })
                mean[m] = stats.mean
                std[m] = stats.std
            }
            return Row(values: members[0].axes.filter { $0.path != seedAxis }, okCount: ok.count,
                       failedCount: members.filter { $0.status == .failed }.count,
                       divergedCount: members.filter { $0.status == .diverged }.count,
                       mean: mean, std: std, firstIndex: members.map(\.index).min()!)
        }.sorted { a, b in
            // In axis order, by the position of each value among the axis' values (numeric axes
            // increase), then by expansion order.
            for (x, y) in zip(a.values, b.values) {
                let i = axisValues[x.path]?.firstIndex(of: x.value) ?? 0, j = axisValues[y.path]?.firstIndex(of: y.value) ?? 0
                if i != j { return i < j }
            }
            return a.firstIndex < b.firstIndex
        }
    }

    /// Mean and sample standard deviation (n − 1; NaN for n < 2; both NaN for n = 0), two-pass.
    public static func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, .nan) }
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(values.count - 1)).squareRoot())
    }

    /// Failed points (latest records).
    public var failedRecords: [SweepRecord] { records.filter { $0.status.isFailure } }

    /// Diverged points (latest records).
    public var divergedRecords: [SweepRecord] { records.filter { $0.status == .diverged } }

    /// The value an axis is held at in plots of other axes: `report.fixed`, else its first value.
    func heldValue(_ axis: String) -> JSONValue? {
        settings.fixed[axis] ?? axisValues[axis]?.first
    }

    /// The row with exactly these values (every non-seed axis), if any.
    func row(_ values: [String: JSONValue]) -> Row? {
        rows.first { r in r.values.allSatisfy { values[$0.path] == $0.value } }
    }
}
