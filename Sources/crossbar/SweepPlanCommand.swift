import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar sweep plan SPEC.json [--shard I/N] [--count]`: validate and list the points.
struct SweepPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate a sweep file and list its points (index, id, axis values) without running them."
    )

    @Argument(help: "The sweep file (JSON).") var spec: String
    @Option(help: "List only shard I of N.") var shard: String?
    @Flag(help: "Print only the number of points.") var count = false
    @Flag(help: "Print each point's resolved run document as a JSON line.") var json = false

    func validate() throws {
        _ = try parseShardOption(shard)
        if count && json { throw ValidationError("--count and --json exclude each other") }
    }

    func run() throws {
        try reportingErrors {
            let plan = try SweepPlan(spec: try SweepSpec.load(path: spec), registry: .standard)
            let points = plan.points(in: try parseShardOption(shard))
            if count {
                print(points.count)
                return
            }
            for p in points {
                if json {
                    print(JSONValue.object(["index": .number(Double(p.index)), "id": .string(p.id), "point": p.document]).canonicalText)
                } else {
                    print("\(p.index)\t\(p.id)\t\(p.label)")
                }
            }
        }
    }
}
