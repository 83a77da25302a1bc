import Foundation

extension DeviceConfig {
    /// The weight granularity ε of docs/devices.md, "Weight granularity": the nominal weight change of one pulse, used by
    /// update management (docs/devices.md, "The pulsed update") and the transfer thresholds (docs/algorithms.md).
    ///
    /// ExpStep: the reference code averages the down step with itself (docs/devices.md, "Deviations from the reference simulator"); we use the
    /// intended mean of the up and down steps at w = 0 (docs/devices.md).
    public var granularity: Float {
        switch model {
        case .floatingPoint, .ideal:
            return dwMin
        case .constantStep, .linearStep, .softBounds, .softBoundsReference:
            return dwMin
        case .powStep, .powStepReference:
            return dwMin * Float(pow(0.5, Double(powGamma)))
        case .piecewiseStep:
            return dwMin * piecewiseUp[piecewiseUp.count / 2]
        case .expStep:
            let upBias: Float = upDown < 0 ? upDown : 0
            let downBias: Float = upDown > 0 ? -upDown : 0
            let z = expB // z at w = 0
            let up = (1 + upBias) * dwMin * max(1 - aUp * Float(exp(Double(gammaUp * z))), 0)
            let down = (1 + downBias) * dwMin * max(1 - aDown * Float(exp(Double(-gammaDown * z))), 0)
            let e = 0.5 * (up + down)
            return e > 0 ? e : dwMin
        }
    }

    /// Number of states n_states = (w_max − w_min)/ε (docs/devices.md, "Weight granularity").
    public var numberOfStates: Float { (wMax - wMin) / granularity }
}
