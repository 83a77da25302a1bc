import Foundation
import CrossbarFoundation

/// One of `count` deterministic shards of a sweep: shard `index` runs the points whose
/// expansion index i satisfies `i mod count == index` (0 ≤ index < count).
///
/// The shards of one N are disjoint and together complete; membership depends only on the
/// point's index, so it is the same on every machine and every run. `0/1` is the whole sweep.
public struct SweepShard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1 else {
            throw CrossbarError.invalidParameter(field: "shard", value: "\(index)/\(count)", allowed: "I/N with N ≥ 1")
        }
        guard index >= 0 && index < count else {
            throw CrossbarError.invalidParameter(field: "shard", value: "\(index)/\(count)", allowed: "I/N with 0 ≤ I < N (shards are numbered from 0)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (e.g. `3/8`).
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)), let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw CrossbarError.invalidParameter(field: "shard", value: "'\(text)'", allowed: "I/N, e.g. 0/4 (shard I of N, 0 ≤ I < N)")
        }
        try self.init(index: i, count: n)
    }

    /// The whole sweep (shard 0 of 1).
    public static let all = try! SweepShard(index: 0, count: 1)

    /// Whether the point with expansion index `pointIndex` belongs to this shard.
    public func contains(_ pointIndex: Int) -> Bool { pointIndex % count == index }

    public var description: String { "\(index)/\(count)" }
}
