import Foundation
import CrossbarFoundation

/// PowStep and PowStepReference (docs/devices.md, "Device models"), on g = w + ref with R = b_max − b_min:
///   up:   g ← g + Δ⁺·((b_max − g)/R)^{γ⁺}·(1 + σξ),   down: g ← g − Δ⁻·((g − b_min)/R)^{γ⁻}·(1 + σξ),
/// clipped after each pulse; no update when R = 0.
struct PowStepKernel: PulseKernel {
    let hidden: UnsafeMutablePointer<Float>
    let dirty: UnsafeMutablePointer<UInt8>?
    let reference: UnsafePointer<Float>?
    let stepUp: UnsafePointer<Float>
    let stepDown: UnsafePointer<Float>
    let gammaUp: UnsafePointer<Float>
    let gammaDown: UnsafePointer<Float>
    let bMax: UnsafePointer<Float>
    let bMin: UnsafePointer<Float>
    let sigma: Float

    init(_ a: PulsedDeviceArray) {
        hidden = a.hidden.pointer
        dirty = a.dirty
        reference = a.reference.map { UnsafePointer($0.pointer) }
        stepUp = UnsafePointer(a.stepUp.pointer)
        stepDown = UnsafePointer(a.stepDown.pointer)
        gammaUp = UnsafePointer(a.powGammaUp!.pointer)
        gammaDown = UnsafePointer(a.powGammaDown!.pointer)
        bMax = UnsafePointer(a.bMax.pointer)
        bMin = UnsafePointer(a.bMin.pointer)
        sigma = a.config.dwMinStd
    }

    @inline(__always)
    private func step(_ k: Int, _ x: Float, _ down: Bool) -> Float {
        let hi = bMax[k], lo = bMin[k]
        let range = hi - lo
        if range == 0 { return 0 }
        if down { return -stepDown[k] * powf(max((x - lo) / range, 0), gammaDown[k]) }
        return stepUp[k] * powf(max((hi - x) / range, 0), gammaUp[k])
    }

    func apply(_ k: Int, count n: Int, down: Bool, _ g: inout NoiseSource) {
        let r: Float = reference?[k] ?? 0
        var x = hidden[k] + r
        let lo = bMin[k], hi = bMax[k]
        if hi - lo != 0 {
            for _ in 0..<n {
                let noise: Float = sigma > 0 ? 1 + sigma * g.gaussian() : 1
                x = min(max(x + step(k, x, down) * noise, lo), hi)
            }
        }
        let w = x - r
        hidden[k] = w
        dirty?[k] = 1
    }

    func meanStep(_ k: Int, at w: Float, down: Bool) -> Float {
        let r: Float = reference?[k] ?? 0
        let x = w + r
        return min(max(x + step(k, x, down), bMin[k]), bMax[k]) - x
    }
}
