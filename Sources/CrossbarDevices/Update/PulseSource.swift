/// One side (x or d) of a rank-one update.
package enum PulseSource {
    /// A dense vector (length = the side's size).
    case dense(UnsafePointer<Float>)
    /// A one-hot vector: `value` at `index`, zero elsewhere (the transfer reads and writes of
    /// the Tiki-Taka family), processed in O(1) on this side.
    case oneHot(index: Int, value: Float)
}
