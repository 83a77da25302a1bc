import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments

@Suite struct SweepExpansionTests {
    let registry = SweepTaskRegistry([SyntheticTask(), ProbeTask()])

    @Test func gridIsTheCartesianProductWithTheFirstAxisSlowest() throws {
        let s = try spec("""
            {"name": "g", "base": {"task": "synthetic", "steps": 10},
             "axes": [{"path": "algorithm", "values": ["sgd", "momentum"]},
                      {"path": "noise", "values": [0, 0.1, 0.2]},
                      {"path": "seed", "values": [1, 2]}]}
            """)
        let plan = try SweepPlan(spec: s, registry: registry)
        #expect(plan.points.count == 12)
        #expect(plan.points.map(\.index) == Array(0..<12))
        let triples = plan.points.map { p in
            [p.document["algorithm"]!.stringValue!, p.document["noise"]!.canonicalText, p.document["seed"]!.canonicalText].joined(separator: "/")
        }
        #expect(Array(triples.prefix(7)) == ["sgd/0/1", "sgd/0/2", "sgd/0.1/1", "sgd/0.1/2", "sgd/0.2/1", "sgd/0.2/2", "momentum/0/1"])
        #expect(triples.last == "momentum/0.2/2")
        // The base fields stay; assignments list the axis values in axis order.
        #expect(plan.points.allSatisfy { $0.document["steps"] == 10 && $0.document["task"] == "synthetic" })
        #expect(plan.points[3].assignments == [SweepAssignment(path: "algorithm", value: "sgd"), SweepAssignment(path: "noise", value: 0.1), SweepAssignment(path: "seed", value: 2)])
        #expect(plan.points[3].seed == 2)
        #expect(Set(plan.points.map(\.id)).count == 12)
    }

    @Test func zipPairsTheValuesPositionally() throws {
        let s = try spec("""
            {"name": "z", "mode": "zip", "base": {"task": "synthetic"},
             "axes": [{"path": "noise", "values": [0, 0.1, 0.2]},
                      {"path": "steps", "values": [10, 20, 30]}]}
            """)
        let plan = try SweepPlan(spec: s, registry: registry)
        #expect(plan.points.map { [$0.document["noise"]!, $0.document["steps"]!] } == [[0, 10], [0.1, 20], [0.2, 30]])
    }

    @Test func groupsZipInsideAGrid() throws {
        // noise and steps move together (3 pairs) × 2 seeds = 6 points.
        let s = try spec("""
            {"name": "m", "base": {"task": "synthetic"},
             "axes": [{"path": "noise", "values": [0, 0.1, 0.2], "group": "pair"},
                      {"path": "seed", "values": [1, 2]},
                      {"path": "steps", "values": [10, 20, 30], "group": "pair"}]}
            """)
        let plan = try SweepPlan(spec: s, registry: registry)
        #expect(plan.points.count == 6)
        let got = plan.points.map { [$0.document["noise"]!, $0.document["steps"]!, $0.document["seed"]!] }
        #expect(got == [[0, 10, 1], [0, 10, 2], [0.1, 20, 1], [0.1, 20, 2], [0.2, 30, 1], [0.2, 30, 2]])
        // Assignments keep the file's axis order even though the group is one factor.
        #expect(plan.points[0].assignments.map(\.path) == ["noise", "seed", "steps"])
    }

    @Test func nestedPathsAndIndicesAreSet() throws {
        let s = try spec("""
            {"name": "n", "base": {"task": "probe", "x": 1, "seed": 0},
             "axes": [{"path": "x", "values": [1, 2]}]}
            """)
        let plan = try SweepPlan(spec: s, registry: registry)
        #expect(plan.points.map { $0.document["x"] } == [1, 2])
    }

    @Test func pointIDsDependOnlyOnTheDocument() throws {
        let a = try SweepPlan(spec: spec("""
            {"name": "a", "base": {"task": "synthetic", "steps": 10},
             "axes": [{"path": "noise", "values": [0.1, 0.2]}, {"path": "seed", "values": [1, 2]}]}
            """), registry: registry)
        // Another sweep reaching the same documents in another order and from another base.
        let b = try SweepPlan(spec: spec("""
            {"name": "b", "base": {"steps": 10, "task": "synthetic", "noise": 0.9},
             "axes": [{"path": "seed", "values": [2, 1]}, {"path": "noise", "values": [0.2, 0.1]}]}
            """), registry: registry)
        #expect(Set(a.points.map(\.id)) == Set(b.points.map(\.id)))
        let first = a.points[0]
        let twin = b.points.first { $0.document == first.document }!
        #expect(twin.id == first.id && twin.index != first.index)
        // The id is the SHA-256 of the canonical text, first 16 hex digits.
        #expect(first.id == String(ContentDigest.sha256Hex(first.document.canonicalText.utf8).prefix(16)))
        #expect(first.id.count == 16 && first.id.allSatisfy { $0.isHexDigit })
        // Re-expanding gives the same ids.
        let again = try SweepPlan(spec: a.spec, registry: registry)
        #expect(again.points.map(\.id) == a.points.map(\.id))
    }

    @Test func shardsPartitionThePointsDisjointCompleteAndStable() throws {
        let s = try spec("""
            {"name": "s", "base": {"task": "synthetic"},
             "axes": [{"path": "seed", "values": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23]}]}
            """)
        let plan = try SweepPlan(spec: s, registry: registry)
        for n in 1...9 {
            var seen: [String: Int] = [:]
            for i in 0..<n {
                let shard = try SweepShard(index: i, count: n)
                let points = plan.points(in: shard)
                #expect(points.allSatisfy { $0.index % n == i })
                // Balanced: sizes differ by at most one.
                #expect(abs(points.count - plan.points.count / n) <= 1)
                for p in points {
                    #expect(seen[p.id] == nil, "point \(p.index) in two shards of \(n)")
                    seen[p.id] = i
                }
                // Stable: the same shard of a re-expanded plan has the same points.
                let again = try SweepPlan(spec: s, registry: registry).points(in: shard)
                #expect(again.map(\.id) == points.map(\.id))
            }
            #expect(seen.count == plan.points.count, "shards of \(n) miss points")
        }
    }

    @Test func shardParsing() throws {
        #expect(try SweepShard("3/8") == SweepShard(index: 3, count: 8))
        #expect(SweepShard.all.description == "0/1")
        for bad in ["8/8", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] {
            let m = errorText { _ = try SweepShard(bad) }
            #expect(m?.contains("shard") == true, "accepted '\(bad)'")
        }
    }
}
