import Synchronization

/// A value shared between threads, read and changed under a lock.
public final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    /// Runs `body` on the value under the lock and returns its result.
    @discardableResult
    public func update<R: Sendable>(_ body: (inout Value) throws -> R) rethrows -> R {
        try mutex.withLock { try body(&$0) }
    }

    /// The current value.
    public var value: Value { mutex.withLock { $0 } }
}
