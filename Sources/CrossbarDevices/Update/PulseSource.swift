/// One side (x or d) of a rank-one update.
package enum PulseSource {
    /// A dense vector (length = the side's size).
    case dense(UnsafePointer<Float>)
    /// A one-hot vector: `value` at `index`, zero elsewhere (the transfer reads and writes of
    /// the Tiki-Taka family), processed in O(1) on this side.
    case oneHot(index: Int, value: Float)
}

extension PulseSource {
    /// Element k of the vector (0 ≤ k < its length).
    @inline(__always)
    func value(at k: Int) -> Float {
        switch self {
        case let .dense(p): p[k]
        case let .oneHot(index, v): k == index ? v : 0
        }
    }

    /// max_k |v_k| over the first `count` elements (≥ 0; 0 for an all-zero vector).
    func maxAbs(count: Int) -> Float {
        switch self {
        case let .dense(p):
            var m: Float = 0
            for k in 0..<count { m = max(m, abs(p[k])) }
            return m
        case let .oneHot(_, v):
            return abs(v)
        }
    }
}
