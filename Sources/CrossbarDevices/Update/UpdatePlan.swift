import CrossbarFoundation

/// Pulse-train length and probability scales of one rank-one update (docs/devices.md, "The pulsed update").
///
/// For sample (x, d) with learning rate η and granularity ε the pulse probabilities are
/// p_x,j = Q(|x_j|·scaleX) and p_d,i = Q(|d_i|·scaleD); each element then receives
/// Binomial(BL, p_x,j·p_d,i) coincidences, i.e. in expectation η|x_j||d_i|/ε pulses when no
/// probability is clipped at 1.
public struct UpdatePlan: Sendable, Equatable {
    /// Pulse-train length (0 = no pulses for this sample).
    public var bl: Int
    /// Probability scale for x (the reference simulator's B).
    public var scaleX: Float
    /// Probability scale for d (the reference simulator's A).
    public var scaleD: Float

    public static let empty = UpdatePlan(bl: 0, scaleX: 0, scaleD: 0)

    /// `calculateBlAB` followed by update management, for one sample with maxima `xMax` = max|x|
    /// and `dMax` = max|d| (docs/devices.md, "The pulsed update"). `eta` is the magnitude of the pulse-count learning rate.
    public static func make(eta: Float, granularity eps: Float, xMax: Float, dMax: Float,
                            parameters p: UpdateParameters) -> UpdatePlan {
        guard eta > 0, eps > 0 else { return .empty }
        var bl: Int
        var a: Float, b: Float
        let desired = Float(p.desiredBL)
        if p.fixedBL || p.updateBLManagement {
            bl = p.desiredBL
            a = (eta / (eps * desired)).squareRoot()
            b = a
        } else if eps * desired < eta {
            a = 1
            b = 1
            // Unbounded in the reference; capped at the largest train length we accept for
            // desired_bl (docs/devices.md, "Deviations"): beyond it the update is meaningless.
            bl = min(max(Int(saturating: (eta / eps).rounded(.up)), 1), UpdateParameters.maxDesiredBL)
        } else {
            bl = p.desiredBL
            a = (eta / (eps * desired)).squareRoot()
            b = a
        }
        if p.effectiveUpdateManagement {
            if xMax <= 0 || dMax <= 0 { return .empty }
            let xHat = xMax
            var dHat = p.umGradScale * dMax
            let k = eta * xHat * dHat / eps
            if p.updateBLManagement {
                bl = min(max(Int(saturating: k.rounded(.up)), 1), p.desiredBL)
                a = (eta / (eps * Float(bl))).squareRoot()
                b = a
            }
            if p.updateManagement || p.updateBLManagement {
                if k > desired { dHat *= desired / k }
                a *= (xHat / dHat).squareRoot()
                b *= (dHat / xHat).squareRoot()
            }
        }
        return UpdatePlan(bl: bl, scaleX: b, scaleD: a)
    }
}

/// The probability discretisation Q of docs/devices.md, "The pulsed update" (`res` ≤ 0: identity).
@usableFromInline
struct ProbabilityQuantizer: Sendable {
    let step: Float
    let stochastic: Bool

    init(res: Float, stochastic: Bool) {
        step = res > 1 ? 1 / res : max(res, 0)
        self.stochastic = stochastic
    }

    var isIdentity: Bool { step <= 0 }

    @inline(__always)
    func callAsFunction(_ v: Float, _ g: inout Xoshiro256) -> Float {
        if step <= 0 { return v }
        if stochastic { return Rounding.toNearestEven(v / step + g.nextUniform() - 0.5) * step }
        return Rounding.toNearestEven(v / step) * step
    }
}
