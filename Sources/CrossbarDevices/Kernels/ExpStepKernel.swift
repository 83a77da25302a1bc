import Foundation
import CrossbarFoundation

/// ExpStep (docs/devices.md, "Device models"), with R = b_max − b_min (no update if R ≤ 0) and z = 2·a·w/R + b:
///   up:   y⁺ = max(1 − A_up·e^{γ_up·z}, 0),   w ← w + y⁺·Δ⁺·(1 + σξ)
///   down: y⁻ = max(1 − A_down·e^{−γ_down·z}, 0), w ← w − y⁻·Δ⁻·(1 + σξ)
/// "Complex noise" (dw_min_std > 0 and dw_min_std_add or dw_min_std_slope ≠ 0):
///   dw = ±y·Δ,  w ← w + dw + σ·(|dw| + dw_min_std_add + dw_min_std_slope·|w|)·ξ.
struct ExpStepKernel: PulseKernel {
    let hidden: UnsafeMutablePointer<Float>
    let dirty: UnsafeMutablePointer<UInt8>?
    let stepUp: UnsafePointer<Float>
    let stepDown: UnsafePointer<Float>
    let bMax: UnsafePointer<Float>
    let bMin: UnsafePointer<Float>
    let sigma: Float
    let aUp: Float, aDown: Float, gammaUp: Float, gammaDown: Float, shapeA: Float, shapeB: Float
    let stdAdd: Float, stdSlope: Float
    let complexNoise: Bool

    init(_ a: PulsedDeviceArray) {
        let c = a.config
        hidden = a.hidden.pointer
        dirty = a.dirty
        stepUp = UnsafePointer(a.stepUp.pointer)
        stepDown = UnsafePointer(a.stepDown.pointer)
        bMax = UnsafePointer(a.bMax.pointer)
        bMin = UnsafePointer(a.bMin.pointer)
        sigma = c.dwMinStd
        aUp = c.aUp; aDown = c.aDown; gammaUp = c.gammaUp; gammaDown = c.gammaDown
        shapeA = c.expA; shapeB = c.expB
        stdAdd = c.dwMinStdAdd; stdSlope = c.dwMinStdSlope
        complexNoise = c.dwMinStd > 0 && (c.dwMinStdAdd != 0 || c.dwMinStdSlope != 0)
    }

    @inline(__always)
    private func meanChange(_ k: Int, _ w: Float, _ down: Bool) -> Float {
        let range = bMax[k] - bMin[k]
        if range <= 0 { return 0 }
        let z = 2 * shapeA * w / range + shapeB
        if down { return -max(1 - aDown * expf(-gammaDown * z), 0) * stepDown[k] }
        return max(1 - aUp * expf(gammaUp * z), 0) * stepUp[k]
    }

    func apply(_ k: Int, count n: Int, down: Bool, _ g: inout NoiseSource) {
        var w = hidden[k]
        let lo = bMin[k], hi = bMax[k]
        if hi - lo > 0 {
            for _ in 0..<n {
                let dw = meanChange(k, w, down)
                if complexNoise {
                    w += dw + sigma * (abs(dw) + stdAdd + stdSlope * abs(w)) * g.gaussian()
                } else if sigma > 0 {
                    w += dw * (1 + sigma * g.gaussian())
                } else {
                    w += dw
                }
                w = min(max(w, lo), hi)
            }
        }
        hidden[k] = w
        dirty?[k] = 1
    }

    func meanStep(_ k: Int, at w: Float, down: Bool) -> Float {
        min(max(w + meanChange(k, w, down), bMin[k]), bMax[k]) - w
    }
}
