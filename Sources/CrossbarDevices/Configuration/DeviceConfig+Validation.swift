import CrossbarFoundation

extension DeviceConfig {
    /// Throws `CrossbarError/invalidParameter(field:value:allowed:)` naming the JSON field.
    /// Every numeric field within its documented range (``ConfigField/range``; see
    /// docs/parameters.md), then the relations between fields.
    public func validate() throws {
        for field in Self.fields(for: model) { try field.checkRange(of: self) }
        guard model.isPulsed else { return }
        if !(wMax > wMin) { throw CrossbarError.invalidParameter(field: "w_max", value: "\(wMax)", allowed: "> w_min (\(wMin))") }
        if dwMin > wMax - wMin {
            throw CrossbarError.invalidParameter(field: "dw_min", value: "\(dwMin)",
                                                 allowed: "≤ w_max − w_min (\(wMax - wMin)): one step cannot exceed the weight range")
        }
        switch model {
        case .linearStep, .softBounds:
            if (reverseUp || reverseDown) && !multNoise {
                throw CrossbarError.invalidParameter(field: reverseUp ? "reverse_up" : "reverse_down", value: "true",
                                                     allowed: "false unless mult_noise is true")
            }
        case .piecewiseStep:
            if piecewiseUp.isEmpty { throw CrossbarError.invalidParameter(field: "piecewise_up", value: "[]", allowed: "at least one node") }
            if piecewiseUp.count != piecewiseDown.count {
                throw CrossbarError.invalidParameter(field: "piecewise_down", value: "\(piecewiseDown.count) nodes",
                                                     allowed: "as many nodes as piecewise_up (\(piecewiseUp.count))")
            }
        default:
            break
        }
    }
}
