/// Compares two results files point by point (latest record per id): the same ids, statuses
/// and metric values (within a relative tolerance; 0 = bit-identical). Used to check that a
/// sharded run reproduces an unsharded one.
public enum SweepComparison {
    /// The differences, one line each (empty when the files agree).
    public static func differences(_ a: [SweepRecord], _ b: [SweepRecord], tolerance: Double = 0) -> [String] {
        let la = Dictionary(uniqueKeysWithValues: SweepRecord.latest(a).map { ($0.id, $0) })
        let lb = Dictionary(uniqueKeysWithValues: SweepRecord.latest(b).map { ($0.id, $0) })
        var out: [String] = []
        let ids = Set(la.keys).union(lb.keys).map { id in ((la[id] ?? lb[id])!.index, id) }.sorted { $0 < $1 }.map(\.1)
        for id in ids {
            guard let ra = la[id] else { out.append("point \(id) (index \(lb[id]!.index)) only in the second file"); continue }
            guard let rb = lb[id] else { out.append("point \(id) (index \(ra.index)) only in the first file"); continue }
            if ra.index != rb.index { out.append("point \(id): index \(ra.index) vs \(rb.index)") }
            if ra.point != rb.point { out.append("point \(id): different run documents") }
            if ra.status != rb.status {
                out.append("point \(id) (index \(ra.index)): status \(ra.status.rawValue) vs \(rb.status.rawValue)")
                continue
            }
            for d in ra.metricDifferences(from: rb, tolerance: tolerance) { out.append("point \(id) (index \(ra.index)): \(d)") }
        }
        return out
    }
}
