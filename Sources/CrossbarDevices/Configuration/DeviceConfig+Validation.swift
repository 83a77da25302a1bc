import CrossbarFoundation

extension DeviceConfig {
    /// Throws `CrossbarError/invalidParameter(field:value:allowed:)` naming the JSON field.
    public func validate() throws {
        try Check.nonNegative(diffusion, "diffusion")
        try Check.nonNegative(lifetime, "lifetime")
        try Check.nonNegative(resetStd, "reset_std")
        guard model.isPulsed else { return }
        try Check.positive(dwMin, "dw_min")
        try Check.nonNegative(dwMinDtod, "dw_min_dtod")
        try Check.nonNegative(dwMinStd, "dw_min_std")
        try Check.finite(wMax, "w_max")
        try Check.finite(wMin, "w_min")
        if wMax < 0 { throw CrossbarError.invalidParameter(field: "w_max", value: "\(wMax)", allowed: "≥ 0 (w_min ≤ 0 ≤ w_max)") }
        if wMin > 0 { throw CrossbarError.invalidParameter(field: "w_min", value: "\(wMin)", allowed: "≤ 0 (w_min ≤ 0 ≤ w_max)") }
        if !(wMax > wMin) { throw CrossbarError.invalidParameter(field: "w_max", value: "\(wMax)", allowed: "> w_min (\(wMin))") }
        try Check.nonNegative(wMaxDtod, "w_max_dtod")
        try Check.nonNegative(wMinDtod, "w_min_dtod")
        try Check.finite(upDown, "up_down")
        try Check.nonNegative(upDownDtod, "up_down_dtod")
        try Check.probability(corruptDevicesProb, "corrupt_devices_prob")
        try Check.nonNegative(corruptDevicesRange, "corrupt_devices_range")
        try Check.nonNegative(lifetimeDtod, "lifetime_dtod")
        try Check.nonNegative(diffusionDtod, "diffusion_dtod")
        try Check.finite(reset, "reset")
        try Check.nonNegative(resetDtod, "reset_dtod")
        try Check.nonNegative(writeNoiseStd, "write_noise_std")
        switch model {
        case .linearStep, .softBounds:
            try Check.finite(gammaUp, "gamma_up")
            try Check.finite(gammaDown, "gamma_down")
            try Check.nonNegative(gammaUpDtod, "gamma_up_dtod")
            try Check.nonNegative(gammaDownDtod, "gamma_down_dtod")
            try Check.finite(reverseOffset, "reverse_offset")
            if (reverseUp || reverseDown) && !multNoise {
                throw CrossbarError.invalidParameter(field: reverseUp ? "reverse_up" : "reverse_down", value: "true",
                                                     allowed: "false unless mult_noise is true")
            }
        case .softBoundsReference:
            try Check.nonNegative(slopeUpDtod, "slope_up_dtod")
            try Check.nonNegative(slopeDownDtod, "slope_down_dtod")
            try Check.finite(referenceMean, "reference_mean")
            try Check.nonNegative(referenceStd, "reference_std")
        case .expStep:
            for (v, n) in [(aUp, "A_up"), (aDown, "A_down"), (gammaUp, "gamma_up"), (gammaDown, "gamma_down"),
                           (expA, "a"), (expB, "b"), (dwMinStdAdd, "dw_min_std_add"), (dwMinStdSlope, "dw_min_std_slope")] {
                try Check.finite(v, n)
            }
        case .powStep, .powStepReference:
            try Check.positive(powGamma, "pow_gamma")
            try Check.nonNegative(powGammaDtod, "pow_gamma_dtod")
            try Check.finite(powUpDown, "pow_up_down")
            try Check.nonNegative(powUpDownDtod, "pow_up_down_dtod")
            if model == .powStepReference {
                try Check.finite(referenceMean, "reference_mean")
                try Check.nonNegative(referenceStd, "reference_std")
            }
        case .piecewiseStep:
            if piecewiseUp.isEmpty { throw CrossbarError.invalidParameter(field: "piecewise_up", value: "[]", allowed: "at least one node") }
            if piecewiseUp.count != piecewiseDown.count {
                throw CrossbarError.invalidParameter(field: "piecewise_down", value: "\(piecewiseDown.count) nodes",
                                                     allowed: "as many nodes as piecewise_up (\(piecewiseUp.count))")
            }
            for (k, v) in piecewiseUp.enumerated() { try Check.nonNegative(v, "piecewise_up[\(k)]") }
            for (k, v) in piecewiseDown.enumerated() { try Check.nonNegative(v, "piecewise_down[\(k)]") }
        default:
            break
        }
    }
}
