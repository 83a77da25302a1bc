/// A reusable, growable, uninitialised-on-growth buffer of plain values.
///
/// Hot paths hold one of these per scratch array: `ensure(count)` allocates only when a larger
/// size than ever before is requested, so steady-state calls allocate nothing.
///
/// The base address and capacity live in a small heap record the class holds by a `let`
/// pointer, and the accessors are inlinable: reading them from another module is then two
/// plain loads, with no call into the generic entry point and no run-time exclusivity check
/// (which Swift makes for every access to a class's `var` it cannot see through; the update
/// engine reads its scratch buffers about 25 times per pulsed update, which made those checks
/// several per cent of a LeNet-5 training step).
package final class ScratchBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline
    struct Storage {
        @usableFromInline var pointer: UnsafeMutablePointer<Element>
        @usableFromInline var capacity: Int
    }

    @usableFromInline let storage: UnsafeMutablePointer<Storage>

    package init(capacity: Int = 0) {
        let count = max(capacity, 1)
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(pointer: .allocate(capacity: count), capacity: count))
    }

    deinit {
        storage.pointee.pointer.deallocate()
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The base of the buffer (valid until the next growing `ensure`).
    @inlinable
    package var pointer: UnsafeMutablePointer<Element> { storage.pointee.pointer }

    /// Elements the buffer holds without growing (≥ 1).
    @inlinable
    package var capacity: Int { storage.pointee.capacity }

    /// Makes room for `count` elements (contents are lost when it grows) and returns the base.
    @inlinable @inline(__always) @discardableResult
    package func ensure(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > storage.pointee.capacity { grow(to: count) }
        return storage.pointee.pointer
    }

    /// Replaces the buffer by one of at least `count` elements (at least twice the old size).
    @usableFromInline
    func grow(to count: Int) {
        let capacity = max(count, storage.pointee.capacity * 2)
        storage.pointee.pointer.deallocate()
        storage.pointee = Storage(pointer: .allocate(capacity: capacity), capacity: capacity)
    }

    /// The first `count` elements as a buffer (after `ensure(count)`).
    @inlinable @inline(__always)
    package func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: ensure(count), count: count)
    }
}
