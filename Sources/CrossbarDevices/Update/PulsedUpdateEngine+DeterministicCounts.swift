import CrossbarFoundation

/// The deterministic pulse types mean_count and deterministic_implicit (docs/devices.md, "The
/// pulsed update"): instead of bit lines every active column gets a signed factor f_x,j and
/// every row a signed factor f_d,i, and element (i, j) receives n_ij = rint(f_d,i · f_x,j)
/// pulses (the sign giving the direction).
extension PulsedUpdateEngine {
    /// Column factors, compacted in column order: mean_count f = rint(BL·Q(|x_j|·scaleX)) ∈
    /// [0, BL]; deterministic_implicit f = Q_implicit(|x_j|·scaleX) ∈ [0, 1]; the sign is
    /// sgn(x_j)·sgn(η). Sets the plan's `activeColumns`.
    func buildColumnCounts(_ x: PulseSource, train: UpdatePlan, p: UpdateParameters,
                           signs: UnsafePointer<Int8>?, etaNeg: Bool, into plan: inout SamplePulsePlan,
                           _ g: inout Xoshiro256) {
        let idx = activeCols.ensure(cols)
        let val = activeValue.ensure(cols)
        let q = ProbabilityQuantizer(res: p.res, stochastic: p.stoRound)
        let qi = ProbabilityQuantizer(res: p.xResImplicit, stochastic: p.stoRound)
        let bl = Float(train.bl)
        var n = 0
        func consider(_ j: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[j] < 0 { v = -v }
            if etaNeg { v = -v }
            if v == 0 { return }
            let f: Float
            if p.pulseType == .meanCount {
                f = min(max(Rounding.toNearestEven(bl * q(abs(v) * train.scaleX, &g)), 0), bl)
            } else {
                f = min(max(qi(abs(v) * train.scaleX, &g), 0), 1)
            }
            if f == 0 { return }
            idx[n] = Int32(j)
            val[n] = v < 0 ? -f : f
            n += 1
        }
        switch x {
        case let .dense(ptr): for j in 0..<cols { consider(j, ptr[j]) }
        case let .oneHot(index, v): consider(index, v)
        }
        plan.activeColumns = n
    }

    /// Row factors for every row (0 for rows without pulses): mean_count c_d / BL ∈ [0, 1],
    /// deterministic_implicit BL·d̃ ∈ [0, BL], with the sign of d_i. Sets the plan's `activeRows`.
    func buildRowCounts(_ d: PulseSource, train: UpdatePlan, p: UpdateParameters,
                        signs: UnsafePointer<Int8>?, into plan: inout SamplePulsePlan, _ g: inout Xoshiro256) {
        let val = rowValue.ensure(rows)
        val.initialize(repeating: 0, count: rows)
        let q = ProbabilityQuantizer(res: p.res, stochastic: p.stoRound)
        let qi = ProbabilityQuantizer(res: p.dResImplicit, stochastic: p.stoRound)
        let bl = Float(train.bl)
        var active = 0
        func consider(_ i: Int, _ raw: Float) {
            var v = raw
            if let signs, signs[i] < 0 { v = -v }
            if v == 0 { return }
            let f: Float
            if p.pulseType == .meanCount {
                // c_d / BL, so that n = rint(c_d/BL · c_x).
                f = min(max(Rounding.toNearestEven(bl * q(abs(v) * train.scaleD, &g)), 0), bl) / bl
            } else {
                // BL · d̃, so that n = rint(BL · d̃ · x̃).
                f = bl * min(max(qi(abs(v) * train.scaleD, &g), 0), 1)
            }
            if f == 0 { return }
            val[i] = v < 0 ? -f : f
            active += 1
        }
        switch d {
        case let .dense(ptr): for i in 0..<rows { consider(i, ptr[i]) }
        case let .oneHot(index, v): consider(index, v)
        }
        plan.activeRows = active
    }
}
