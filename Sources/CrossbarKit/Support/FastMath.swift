/// √x for positive normal x without the libm call `squareRoot()` lowers to on Linux (its
/// errno path blocks vectorisation): the classic reciprocal-square-root bit estimate refined
/// by three Newton steps (relative error 3·10⁻² → 2·10⁻³ → 5·10⁻⁶ → 4·10⁻¹¹, i.e. exact to
/// float rounding). Returns ≈ 0 for x ≈ 0.
@inlinable @inline(__always)
public func vectorizableSquareRoot(_ x: Float) -> Float {
    var y = Float(bitPattern: 0x5F37_59DF &- (x.bitPattern >> 1))
    let h = 0.5 * x
    y = y * (1.5 - h * y * y)
    y = y * (1.5 - h * y * y)
    y = y * (1.5 - h * y * y)
    return x * y
}
