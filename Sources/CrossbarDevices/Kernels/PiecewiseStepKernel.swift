import CrossbarFoundation

/// PiecewiseStep (docs/devices.md, "Device models"): step sizes interpolated linearly between K+1 equidistant nodes
/// over [b_min, b_max]. With u = max((w − b_min)/(b_max − b_min)·K, 0), q = min(⌊u⌋, K−1),
/// t = min(u − q, 1): step = Δ·((1−t)·v[q] + t·v[q+1]) (K = 0 or b_max ≤ b_min: step = v[0]·Δ).
struct PiecewiseStepKernel: PulseKernel {
    let hidden: UnsafeMutablePointer<Float>
    let dirty: UnsafeMutablePointer<UInt8>?
    let stepUp: UnsafePointer<Float>
    let stepDown: UnsafePointer<Float>
    let bMax: UnsafePointer<Float>
    let bMin: UnsafePointer<Float>
    let nodesUp: UnsafePointer<Float>
    let nodesDown: UnsafePointer<Float>
    let segments: Int
    let sigma: Float

    init(_ a: PulsedDeviceArray) {
        hidden = a.hidden.pointer
        dirty = a.dirty
        stepUp = UnsafePointer(a.stepUp.pointer)
        stepDown = UnsafePointer(a.stepDown.pointer)
        bMax = UnsafePointer(a.bMax.pointer)
        bMin = UnsafePointer(a.bMin.pointer)
        nodesUp = UnsafePointer(a.piecewiseNodesUp.pointer)
        nodesDown = UnsafePointer(a.piecewiseNodesDown.pointer)
        segments = a.config.piecewiseUp.count - 1
        sigma = a.config.dwMinStd
    }

    @inline(__always)
    private func meanChange(_ k: Int, _ w: Float, _ down: Bool) -> Float {
        let v = down ? nodesDown : nodesUp
        let delta = down ? -stepDown[k] : stepUp[k]
        let lo = bMin[k], hi = bMax[k]
        if segments == 0 || hi <= lo { return v[0] * delta }
        let u = max((w - lo) / (hi - lo) * Float(segments), 0)
        let q = min(Int(u), segments - 1)
        let t = min(u - Float(q), 1)
        return delta * ((1 - t) * v[q] + t * v[q + 1])
    }

    func apply(_ k: Int, count n: Int, down: Bool, _ g: inout NoiseSource) {
        var w = hidden[k]
        let lo = bMin[k], hi = bMax[k]
        for _ in 0..<n {
            let noise: Float = sigma > 0 ? 1 + sigma * g.gaussian() : 1
            w = min(max(w + meanChange(k, w, down) * noise, lo), hi)
        }
        hidden[k] = w
        dirty?[k] = 1
    }

    func meanStep(_ k: Int, at w: Float, down: Bool) -> Float {
        min(max(w + meanChange(k, w, down), bMin[k]), bMax[k]) - w
    }
}
