import CrossbarFoundation

/// The step-equation family of a device model.
enum KernelKind {
    case linear, pow, exp, piecewise
}

extension PulsedDeviceArray {
    var kernelKind: KernelKind {
        switch config.model {
        case .constantStep, .linearStep, .softBounds, .softBoundsReference: .linear
        case .powStep, .powStepReference: .pow
        case .expStep: .exp
        case .piecewiseStep: .piecewise
        case .floatingPoint, .ideal: preconditionFailure("not a pulsed device")
        }
    }

    /// Calls `body` with this array's pulse kernel (statically specialised per model).
    @inline(__always)
    func withKernel<R>(_ body: (any PulseKernel) -> R) -> R {
        switch kernelKind {
        case .linear: body(LinearStepKernel(self))
        case .pow: body(PowStepKernel(self))
        case .exp: body(ExpStepKernel(self))
        case .piecewise: body(PiecewiseStepKernel(self))
        }
    }

    /// Applies `count` pulses to device (i, j) — the single-device primitive of the response
    /// curves (docs/devices.md, "Response curves"). Randomness from `g`.
    package func pulse(row i: Int, col j: Int, count: Int = 1, down: Bool, _ noise: inout NoiseSource) {
        precondition(i >= 0 && i < rows && j >= 0 && j < cols && count >= 1)
        let k = i * cols + j
        switch kernelKind {
        case .linear: LinearStepKernel(self).apply(k, count: count, down: down, &noise)
        case .pow: PowStepKernel(self).apply(k, count: count, down: down, &noise)
        case .exp: ExpStepKernel(self).apply(k, count: count, down: down, &noise)
        case .piecewise: PiecewiseStepKernel(self).apply(k, count: count, down: down, &noise)
        }
        // The kernel marked the device for a write-noise redraw; the next read draws it.
        if dirty != nil { hasPendingWriteNoise = true }
    }

    /// Applies one pulse of the given direction to every device (one coincidence per device,
    /// as the response curves of docs/devices.md, "Response curves" require). Devices are processed in index order
    /// with randomness from `g`.
    package func pulseAll(down: Bool, _ g: inout NoiseSource) {
        switch kernelKind {
        case .linear: let kern = LinearStepKernel(self); for k in 0..<count { kern.apply(k, count: 1, down: down, &g) }
        case .pow: let kern = PowStepKernel(self); for k in 0..<count { kern.apply(k, count: 1, down: down, &g) }
        case .exp: let kern = ExpStepKernel(self); for k in 0..<count { kern.apply(k, count: 1, down: down, &g) }
        case .piecewise: let kern = PiecewiseStepKernel(self); for k in 0..<count { kern.apply(k, count: 1, down: down, &g) }
        }
        if dirty != nil { hasPendingWriteNoise = true }
    }

    /// The noise-free change of device k's visible weight from one pulse at weight `w`.
    public func meanStep(_ k: Int, at w: Float, down: Bool) -> Float {
        withKernel { $0.meanStep(k, at: w, down: down) }
    }
}
