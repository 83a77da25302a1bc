import Foundation
import Testing
import TestSupport
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

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// A sweep spec from JSON text (test convenience; crashes the test on malformed literals).
func spec(_ json: String) throws -> SweepSpec {
    try JSONValue.parse(json).decode(SweepSpec.self, what: "test sweep")
}

/// The description of the error `body` throws (nil if it does not throw).
func errorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let e as CrossbarError {
        return e.description
    } catch {
        return String(describing: error)
    }
}

/// A test task: `{"task": "probe", "x": number, "seed": int, "fail_when": number?}`; returns
/// metric `y = x² + seed`, and throws when `x == fail_when`. Strict about keys.
struct ProbeTask: SweepTask {
    let name = "probe"
    /// When set, every run waits until this many runs are in flight at once (or 10 s pass), and
    /// the largest number seen is recorded.
    let concurrency: ConcurrencyProbe?

    init(concurrency: ConcurrencyProbe? = nil) { self.concurrency = concurrency }

    func validate(point: JSONValue) throws {
        let allowed = ["task", "x", "seed", "fail_when"]
        for k in point.sortedKeys where !allowed.contains(k) {
            throw CrossbarError.unknownKey(field: "", key: k, allowed: allowed)
        }
        guard let x = point["x"]?.doubleValue else { throw CrossbarError.invalidParameter(field: "x", value: point["x"]?.canonicalText ?? "missing", allowed: "a number") }
        if x < 0 { throw CrossbarError.invalidParameter(field: "x", value: "\(x)", allowed: "≥ 0") }
    }

    func run(point: JSONValue) throws -> SweepMetrics {
        try validate(point: point)
        concurrency?.enterAndWait()
        defer { concurrency?.leave() }
        let x = point["x"]!.doubleValue!
        if let f = point["fail_when"]?.doubleValue, f == x { throw CrossbarError.message("probe failure at x = \(x)") }
        return SweepMetrics(["y": x * x + (point["seed"]?.doubleValue ?? 0)], extra: ["x": .number(x)])
    }
}

/// Counts runs in flight; each run waits until `target` are in flight together (bounded wait).
final class ConcurrencyProbe: @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight = 0
    private(set) var maxInFlight = 0
    let target: Int

    init(target: Int) { self.target = target }

    func enterAndWait() {
        condition.lock()
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        condition.broadcast()
        let deadline = Date().addingTimeInterval(10)
        while maxInFlight < target && inFlight < target && Date() < deadline {
            _ = condition.wait(until: deadline)
        }
        condition.unlock()
    }

    func leave() {
        condition.lock()
        inFlight -= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// The `crossbar` executable built next to the tests (nil if there is none).
func crossbarBinary() -> String? { CrossbarExecutable.path }

/// Runs a process to completion; returns (status, stdout, stderr).
@discardableResult
func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let r = try CrossbarExecutable.run(arguments, executable: URL(fileURLWithPath: executable))
    return (r.status, r.stdout, r.stderr)
}
