/// A reusable, growable, uninitialised-on-growth buffer of plain values.
///
/// Hot paths hold one of these per scratch array: `ensure(count)` allocates only when a larger
/// size than ever before is requested, so steady-state calls allocate nothing.
package final class ScratchBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    package private(set) var pointer: UnsafeMutablePointer<Element>
    package private(set) var capacity: Int

    package init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` elements (contents are lost when it grows) and returns the base.
    @inline(__always) @discardableResult
    package func ensure(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = max(count, capacity * 2)
            pointer = .allocate(capacity: capacity)
        }
        return pointer
    }

    /// The first `count` elements as a buffer (after `ensure(count)`).
    @inline(__always)
    package func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: ensure(count), count: count)
    }
}
