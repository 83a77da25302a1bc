#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CrossbarFoundation

/// Runs the points of a sweep (or of one shard) and appends one record per finished point to a
/// results file; resumable: points that already have a record are skipped.
///
/// - The plan is validated completely before anything runs (``SweepPlan``).
/// - `jobs` threads take points in expansion order; each finished point is appended as one
///   complete line and flushed to disk at once, so a killed sweep loses at most the points in
///   flight. A torn last line left by a kill is removed when the file is reopened.
/// - A point whose task throws is recorded with status `failed` and its error message; the sweep
///   goes on. Failed points are not re-run unless `retryFailed`; readers take the latest record
///   of each id.
public struct SweepRunner: Sendable {
    public let plan: SweepPlan
    public let registry: SweepTaskRegistry

    /// Expands and validates `spec` (throws before anything runs).
    public init(spec: SweepSpec, registry: SweepTaskRegistry) throws {
        plan = try SweepPlan(spec: spec, registry: registry)
        self.registry = registry
    }

    /// Runs the pending points of `options.shard` and appends their records to `resultsPath`.
    /// `progress` is called (from worker threads, one call at a time) after each point.
    public func run(resultsPath: String, options: SweepRunOptions = SweepRunOptions(),
                    progress: (@Sendable (SweepProgress) -> Void)? = nil) throws -> SweepRunSummary
    {
        guard options.jobs >= 1 else {
            throw CrossbarError.invalidParameter(field: "jobs", value: "\(options.jobs)", allowed: "≥ 1")
        }
        // A bad run order is refused before the results file is opened (nothing is created).
        _ = try plan.ordered([], by: options.runOrder)
        let appender = try SweepResultsAppender(path: resultsPath)
        defer { appender.close() }
        let shardPoints = plan.points(in: options.shard)
        var latest: [String: SweepRecord] = [:]
        for r in appender.existing { latest[r.id] = r }
        let planIDs = Set(plan.points.map(\.id))

        var summary = SweepRunSummary()
        summary.points = shardPoints.count
        summary.repairedBytes = appender.repairedBytes
        summary.foreignRecords = latest.keys.filter { !planIDs.contains($0) }.count
        let pending = try plan.ordered(shardPoints.filter { p in
            guard let r = latest[p.id] else { return true }
            return r.status.isFailure && options.retryFailed
        }, by: options.runOrder)
        summary.skipped = shardPoints.count - pending.count

        let context = RunContext(spec: plan.spec, shard: options.shard, host: Self.hostName(),
                                 workRoot: Self.workRoot(resultsPath: resultsPath))
        let queue = WorkQueue(points: pending)
        let clock = ContinuousClock()
        let started = clock.now
        let jobs = min(options.jobs, max(pending.count, 1))
        let group = DispatchGroup()
        let progressLock = NSLock()
        for _ in 0..<(pending.isEmpty ? 0 : jobs) {
            group.enter()
            let thread = Thread { [registry] in
                defer { group.leave() }
                while let point = queue.next() {
                    let record = Self.execute(point, registry: registry, context: context, pointProgress: options.pointProgress)
                    do {
                        try appender.append(record)
                    } catch {
                        queue.fail(error)
                        return
                    }
                    try? FileManager.default.removeItem(atPath: context.workDirectory(of: point))
                    let finished = queue.finished(record)
                    if let progress {
                        progressLock.lock()
                        progress(SweepProgress(record: record, finished: finished, total: pending.count,
                                               elapsed: Self.seconds(started.duration(to: clock.now))))
                        progressLock.unlock()
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        if let error = queue.error { throw error }

        let results = queue.results
        summary.ran = results.count
        summary.failedNow = results.filter { $0.status.isFailure }.count
        for r in results { latest[r.id] = r }
        summary.failedIDs = shardPoints.filter { latest[$0.id]?.status.isFailure ?? false }.map(\.id)
        summary.divergedIDs = shardPoints.filter { latest[$0.id]?.status == .diverged }.map(\.id)
        return summary
    }

    /// Runs one point and turns the outcome into a record (never throws: failures are records).
    static func execute(_ point: SweepPoint, registry: SweepTaskRegistry, context: RunContext,
                        pointProgress: (@Sendable (SweepPointProgress) -> Void)? = nil) -> SweepRecord {
        let clock = ContinuousClock()
        let start = clock.now
        var status = SweepRecord.Status.ok
        var metrics: [String: Double] = [:]
        var extra = JSONValue.null
        var message: String?
        do {
            let task = try registry.task(for: point.document)
            let work = context.workDirectory(of: point)
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let reporter: (@Sendable (Double, String) -> Void)? = pointProgress.map { callback in
                let firstFraction = LockedValue<Double?>(nil)
                return { fraction, message in
                    let elapsed = Self.seconds(start.duration(to: ContinuousClock.now))
                    // The rate over what this process did (a resumed point starts part-way).
                    let base = firstFraction.update { $0 = $0 ?? fraction; return $0! }
                    let done = fraction - base
                    let remaining: Double? = done > 0 && elapsed > 0 ? elapsed / done * (1 - fraction) : nil
                    callback(SweepPointProgress(point: point, fraction: fraction, message: message, elapsed: elapsed, remaining: remaining))
                }
            }
            let result = try task.run(point: point.document, context: SweepPointContext(workDirectory: work, reporter: reporter))
            let missing = context.spec.metrics.filter { result.values[$0] == nil }
            if !missing.isEmpty {
                throw CrossbarError.message("the task did not report the metric(s) \(missing.joined(separator: ", ")) listed in the sweep's 'metrics' (it reported: \(result.values.keys.sorted().joined(separator: ", ")))")
            }
            metrics = result.values
            extra = result.extra ?? .null
        } catch let e as CrossbarError {
            if case .diverged = e { status = .diverged } else { status = .failed }
            message = e.description
        } catch {
            status = .failed
            message = String(describing: error)
        }
        let seconds = Self.seconds(start.duration(to: clock.now))
        return SweepRecord(
            id: point.id, index: point.index, sweep: context.sweepInfo, task: point.taskName ?? "",
            axes: point.assignments, point: point.document, seed: point.seed ?? .null,
            status: status, metrics: status == .ok ? metrics : [:], extra: status == .ok ? extra : .null, error: message,
            seconds: (seconds * 1e6).rounded() / 1e6, version: CrossbarVersion.current, host: context.host,
            shard: context.shard.description, finished: Date().ISO8601Format())
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The folder of the points' work folders: `<results>.work` next to the results file.
    public static func workRoot(resultsPath: String) -> String { resultsPath + ".work" }

    /// The machine's host name (as `hostname` prints it).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What every record of a run shares.
struct RunContext: Sendable {
    let spec: SweepSpec
    let shard: SweepShard
    let host: String
    let sweepInfo: JSONValue
    /// Folder of the points' work folders.
    let workRoot: String

    init(spec: SweepSpec, shard: SweepShard, host: String, workRoot: String) {
        self.spec = spec
        self.shard = shard
        self.host = host
        self.workRoot = workRoot
        sweepInfo = .object([
            "name": .string(spec.name),
            "metrics": .array(spec.metrics.map { .string($0) }),
            "report": (try? JSONValue(encoding: spec.report)) ?? .null,
        ])
    }
}

extension RunContext {
    /// The work folder of `point` (its id is a hex digest, safe as a file name).
    func workDirectory(of point: SweepPoint) -> String { workRoot + "/" + point.id }
}

/// The points still to run, handed out in order to the worker threads, and what came back.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let points: [SweepPoint]
    private var nextIndex = 0
    private(set) var results: [SweepRecord] = []
    private var firstError: Error?

    init(points: [SweepPoint]) { self.points = points }

    func next() -> SweepPoint? {
        lock.lock()
        defer { lock.unlock() }
        guard firstError == nil, nextIndex < points.count else { return nil }
        nextIndex += 1
        return points[nextIndex - 1]
    }

    func finished(_ record: SweepRecord) -> Int {
        lock.lock()
        defer { lock.unlock() }
        results.append(record)
        return results.count
    }

    func fail(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if firstError == nil { firstError = error }
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return firstError
    }
}
