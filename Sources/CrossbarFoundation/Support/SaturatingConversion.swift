extension Int {
    /// `value` rounded toward zero, clamped to Int's range (NaN → 0): a conversion of a
    /// user-influenced float that can never trap.
    @inlinable
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int(value)
        }
    }

    /// `value` rounded toward zero, clamped to Int's range (NaN → 0).
    @inlinable
    public init(saturating value: Float) { self.init(saturating: Double(value)) }
}

extension UInt64 {
    /// `value` rounded toward zero, clamped to UInt64's range (NaN and negatives → 0).
    @inlinable
    public init(saturating value: Double) {
        if !(value > 0) {
            self = 0
        } else if value >= 1.8e19 {
            self = .max
        } else {
            self = UInt64(value)
        }
    }
}
