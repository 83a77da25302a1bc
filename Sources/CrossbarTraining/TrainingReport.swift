import Foundation
import CrossbarAlgorithms

/// Plain-text tables of training records: the per-epoch summary `crossbar train` prints at the
/// end of a run, and the comparison of several runs of `crossbar train-report` (the demo).
public enum TrainingReport {
    /// The algorithm a configuration runs: `fp`, `sgd` (one pulsed array), or the compound's
    /// algorithm (a chopped compound without choppers is `ttv2`, as in the reference presets).
    public static func algorithm(of configuration: TileConfiguration) -> AlgorithmName { configuration.algorithm }

    /// Pulses per training sample summed over all layers, on the gradient array (`A` of the
    /// transfer compounds; nil without one) and on the weight array (`W` of in-memory SGD and
    /// mixed precision, the last array — `C` — of the transfer compounds; nil for fp).
    public static func pulses(_ r: EpochRecord) -> (gradient: Double?, weight: Double?) {
        var a: Double?, w: Double?
        for arrays in r.pulsesPerSample.values {
            let names = arrays.keys.sorted()
            if arrays.count == 1, let n = names.first {
                w = (w ?? 0) + arrays[n]!
            } else if arrays.count > 1 {
                if let v = arrays["A"] ?? arrays["W0"] { a = (a ?? 0) + v }
                let last = arrays["C"] ?? arrays["W\(arrays.count - 1)"]
                if let last { w = (w ?? 0) + last }
            }
        }
        return (a, w)
    }

    /// One row per epoch: learning rate, losses, accuracies, throughput, time and pulses.
    public static func epochTable(_ records: [EpochRecord]) -> String {
        var rows = [["epoch", "lr", "train loss", "train acc", "test loss", "test acc", "samples/s", "seconds",
                     "pulses/sample A", "pulses/sample W"]]
        for r in records {
            let p = pulses(r)
            rows.append(["\(r.epoch)", format(Double(r.learningRate), "%.4g"), format(r.trainLoss, "%.4f"),
                         percent(r.trainAccuracy), r.testLoss.map { format($0, "%.4f") } ?? "–", r.testAccuracy.map(percent) ?? "–",
                         format(r.samplesPerSecond, "%.0f"), format(r.seconds + r.evaluationSeconds, "%.1f"),
                         p.gradient.map { format($0, "%.1f") } ?? "–", p.weight.map { format($0, "%.1f") } ?? "–"])
        }
        return table(rows)
    }

    /// One row per run and thread count (the last record of each distinct `run` fingerprint and
    /// `threads`, in order of first appearance): configuration, algorithm, model, epochs,
    /// threads, test accuracy, pulses per sample on the gradient array A and the weight array W
    /// (summed over layers), samples/s of the last epoch.
    public static func comparisonTable(_ records: [EpochRecord]) -> String {
        var order: [String] = []
        var last: [String: EpochRecord] = [:]
        for r in records {
            let key = "\(r.run)/\(r.threads)"
            if last[key] == nil { order.append(key) }
            last[key] = r
        }
        var rows = [["configuration", "algorithm", "model", "epochs", "threads", "test acc", "pulses/sample A", "pulses/sample W",
                     "samples/s"]]
        for key in order {
            let r = last[key]!
            let p = pulses(r)
            rows.append([r.configurationName, algorithm(of: r.configuration).rawValue, r.model, "\(r.epoch)", "\(r.threads)",
                         r.testAccuracy.map(percent) ?? "–", p.gradient.map { format($0, "%.1f") } ?? "–",
                         p.weight.map { format($0, "%.1f") } ?? "–", format(r.samplesPerSecond, "%.0f")])
        }
        return table(rows)
    }

    /// Epochs that appear more than once for one run (same `run` fingerprint and thread
    /// count), in order of first appearance: a metrics file written by a run that was killed
    /// and started again without `--resume`, or by two processes at once. (A resumed run rewinds
    /// its metrics file to the checkpoint, so it never produces duplicates.)
    public static func duplicateEpochs(_ records: [EpochRecord]) -> [(run: String, threads: Int, epoch: Int, count: Int)] {
        var order: [String] = []
        var counts: [String: (run: String, threads: Int, epoch: Int, count: Int)] = [:]
        for r in records {
            let key = "\(r.run)/\(r.threads)/\(r.epoch)"
            if let c = counts[key] {
                counts[key] = (c.run, c.threads, c.epoch, c.count + 1)
            } else {
                order.append(key)
                counts[key] = (r.run, r.threads, r.epoch, 1)
            }
        }
        return order.compactMap { counts[$0]!.count > 1 ? counts[$0]! : nil }
    }

    static func format(_ v: Double, _ f: String) -> String { String(format: f, v) }
    static func percent(_ v: Double) -> String { String(format: "%.2f %%", 100 * v) }

    /// Left-aligned first column, right-aligned others, two spaces between columns.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i == 0 ? c + pad : pad + c
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
    }
}
