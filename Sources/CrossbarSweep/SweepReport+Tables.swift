import Foundation
import CrossbarFoundation

extension SweepReport {
    /// The table columns for the axes: parameters first, then the series axis.
    var tableAxes: [String] { parameterAxes + (seriesAxis.map { [$0] } ?? []) }

    /// A Markdown table: one row per group, `mean ± std` of each metric (4 significant digits;
    /// `n` is the number of successful seeds, a `failed` (`diverged`) column appears when any
    /// point failed (diverged);
    /// `–` where no successful run of the group reported the metric).
    public var markdownTable: String {
        let anyFailed = rows.contains { $0.failedCount > 0 }, anyDiverged = rows.contains { $0.divergedCount > 0 }
        var header = tableAxes + ["n"]
        if anyFailed { header.append("failed") }
        if anyDiverged { header.append("diverged") }
        header += metrics.map { seedAxis == nil ? $0 : "\($0) (mean ± std)" }
        var lines = ["| " + header.map(Self.markdownCell).joined(separator: " | ") + " |"]
        lines.append("|" + header.indices.map { $0 < tableAxes.count ? " --- |" : " ---: |" }.joined())
        for r in rows {
            var cells = tableAxes.map { r.value(of: $0)?.shortDescription ?? "" }
            cells.append("\(r.okCount)")
            if anyFailed { cells.append("\(r.failedCount)") }
            if anyDiverged { cells.append("\(r.divergedCount)") }
            for m in metrics {
                let mean = r.mean[m] ?? .nan, std = r.std[m] ?? .nan
                if mean.isNaN {
                    // No successful run of this group reported the metric (e.g. pulse counts of
                    // a floating-point run, or every seed failed).
                    cells.append("–")
                } else if std.isNaN {
                    cells.append(Self.short(mean))
                } else {
                    cells.append("\(Self.short(mean)) ± \(Self.short(std))")
                }
            }
            lines.append("| " + cells.map(Self.markdownCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV table (RFC 4180): the axis values, `n`, `failed`, `diverged`, then `<metric>_mean` and
    /// `<metric>_std` for each metric at full precision (empty when undefined).
    public var csvTable: String {
        var header = tableAxes + ["n", "failed", "diverged"]
        for m in metrics { header += ["\(m)_mean", "\(m)_std"] }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for r in rows {
            var cells = tableAxes.map { r.value(of: $0)?.shortDescription ?? "" }
            cells += ["\(r.okCount)", "\(r.failedCount)", "\(r.divergedCount)"]
            for m in metrics {
                for v in [r.mean[m] ?? .nan, r.std[m] ?? .nan] {
                    cells.append(v.isNaN ? "" : JSONValue.numberText(v).replacingOccurrences(of: "\"", with: ""))
                }
            }
            lines.append(cells.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// 4 significant digits, plain or scientific (`0.01235`, `1.235e-05`).
    static func short(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", v)
    }

    package static func markdownCell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func csvField(_ s: String) -> String {
        if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
