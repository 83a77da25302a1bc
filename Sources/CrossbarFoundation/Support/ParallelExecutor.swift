import Dispatch
import Synchronization

/// Runs independent units of work ("chunks") on up to ``threadCount`` threads.
///
/// Work is always split into the same chunks whatever the thread count (the caller chooses
/// chunks from the problem shape alone), and each chunk derives its own random generator, so
/// results are bit-identical for 1, 2 or more threads. Only the wall time changes.
public enum ParallelExecutor {
    private static let threads = Atomic<Int>(1)
    private static let dispatches = Atomic<UInt64>(0)

    /// Calls of ``forEach(chunks:parallel:_:)`` so far that ran their chunks on more than one
    /// thread (process-wide; for diagnostics and tests that must know the parallel path ran).
    public static var parallelDispatchCount: UInt64 { dispatches.load(ordering: .relaxed) }

    /// Number of threads used for large kernels (≥ 1). Default 1.
    public static var threadCount: Int {
        get { threads.load(ordering: .relaxed) }
        set { threads.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Calls `body(chunk)` for chunk in 0..<chunks, on up to `threadCount` threads when
    /// `parallel` is true (callers pass false for work too small to be worth a dispatch).
    @inline(__always)
    public static func forEach(chunks: Int, parallel: Bool = true, _ body: (Int) -> Void) {
        let t = min(threadCount, chunks)
        if !parallel || t <= 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        dispatches.add(1, ordering: .relaxed)
        // Chunks are claimed dynamically (the next unclaimed chunk goes to whichever thread is
        // free), which balances chunks of unequal work; which thread runs a chunk never changes
        // its result (chunks derive their own generators and write disjoint memory).
        let next = Atomic<Int>(t)
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: t) { worker in
                var c = worker
                while c < chunks {
                    box.value(c)
                    c = next.add(1, ordering: .relaxed).oldValue
                }
            }
        }
    }
}

/// Wraps a value that is safe to share across threads by construction (disjoint writes).
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
