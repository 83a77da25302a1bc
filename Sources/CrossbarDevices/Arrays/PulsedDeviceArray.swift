import Foundation
import CrossbarFoundation

/// An array of physical devices, rows × cols, stored as a structure of arrays: one contiguous
/// buffer per parameter (docs/devices.md, "Device models"). Element (i, j) is at index i·cols + j (row-major, like W).
///
/// Per device it holds the hidden weight (what the pulses change; for reference devices the
/// visible weight w = g − ref), the read-visible weight (hidden + write noise, docs/devices.md, "Write noise"), the
/// sampled step sizes, slopes and bounds, and the retention / diffusion / reset parameters.
///
/// Step model of all LinearStep-type devices (ConstantStep, LinearStep, SoftBounds,
/// SoftBoundsReference), on the conductance g = w + ref:
///   up:   g ← g + (stepUp + slopeUp·g)·noise,   down: g ← g − (stepDown + slopeDown·g)·noise
/// with noise = 1 + σξ (mult_noise) or the additive variant, then clipped to [bMin, bMax].
public final class PulsedDeviceArray: @unchecked Sendable {
    public let config: DeviceConfig
    public let rows: Int
    public let cols: Int
    public var count: Int { rows * cols }

    /// Hidden (persistent) weights, visible units (reference subtracted).
    public let hidden: DeviceBuffer
    /// Read-visible weights: hidden + write noise; nil when the model has no write noise.
    /// Up to date only after ``materializeWriteNoise()`` (reads call it).
    public let apparent: DeviceBuffer?
    /// Per device: 1 if it was pulsed since its write noise was last drawn (nil without write
    /// noise). Kernels set it; ``materializeWriteNoise()`` draws and clears it.
    let dirty: UnsafeMutablePointer<UInt8>?
    /// True when some device may be dirty.
    var hasPendingWriteNoise = false
    /// Key of this array's cycle-to-cycle events outside pulsed updates (write-noise draws,
    /// diffusion, decay, resets), and the number of such events so far (checkpointed).
    let eventKey: StreamKey
    public package(set) var eventCounter: UInt64 = 0
    /// Step magnitudes Δ⁺ and Δ⁻ (> 0 unless corrupt).
    public let stepUp: DeviceBuffer
    public let stepDown: DeviceBuffer
    /// Per-device slopes s⁺, s⁻ of the LinearStep family (docs/devices.md, "Device models", on the conductance g):
    /// up step = Δ⁺ + slopeUp·g, down step magnitude = Δ⁻ + slopeDown·g. Zero for ConstantStep.
    public let slopeUp: DeviceBuffer
    public let slopeDown: DeviceBuffer
    /// Per-device hard bounds on the conductance.
    public let bMax: DeviceBuffer
    public let bMin: DeviceBuffer
    /// Static reference (reference devices only; includes the symmetry point if subtracted).
    public let reference: DeviceBuffer?
    /// PowStep exponents γ⁺, γ⁻ (pow-step models only).
    public let powGammaUp: DeviceBuffer?
    public let powGammaDown: DeviceBuffer?
    /// Retention factor δ per mini-batch (1 = no decay), diffusion std ρ, reset value.
    public let decay: DeviceBuffer?
    public let diffusionRate: DeviceBuffer?
    public let resetBias: DeviceBuffer
    /// PiecewiseStep node vectors (shared by all devices).
    let piecewiseNodesUp: DeviceBuffer
    let piecewiseNodesDown: DeviceBuffer

    /// The weight granularity ε (docs/devices.md, "Weight granularity").
    public let granularity: Float
    /// Absolute write-noise std (write_noise_std · dw_min); 0 = none.
    public let writeNoise: Float

    /// Builds the array and samples every device-to-device parameter once from `construction`
    /// (docs/devices.md, "Device-to-device sampling"; model-specific draws as in §2.3). `noiseKey` is the array's cycle-noise
    /// stream for events outside pulsed updates.
    public init(config: DeviceConfig, rows: Int, cols: Int, construction: inout Xoshiro256,
                noiseKey: StreamKey = StreamKey(rawValue: 0x5EED)) {
        precondition(config.model.isPulsed, "PulsedDeviceArray needs a pulsed device model")
        precondition(rows > 0 && cols > 0)
        self.config = config
        self.rows = rows
        self.cols = cols
        let n = rows * cols
        hidden = DeviceBuffer(count: n)
        writeNoise = config.model.supportsWriteNoise ? config.writeNoiseStd * config.dwMin : 0
        apparent = writeNoise > 0 ? DeviceBuffer(count: n) : nil
        if writeNoise > 0 {
            dirty = .allocate(capacity: n)
            dirty!.initialize(repeating: 0, count: n)
        } else {
            dirty = nil
        }
        eventKey = noiseKey.child("events")
        stepUp = DeviceBuffer(count: n)
        stepDown = DeviceBuffer(count: n)
        slopeUp = DeviceBuffer(count: n)
        slopeDown = DeviceBuffer(count: n)
        bMax = DeviceBuffer(count: n)
        bMin = DeviceBuffer(count: n)
        reference = config.model.hasReference ? DeviceBuffer(count: n) : nil
        let isPow = config.model == .powStep || config.model == .powStepReference
        powGammaUp = isPow ? DeviceBuffer(count: n) : nil
        powGammaDown = isPow ? DeviceBuffer(count: n) : nil
        decay = config.lifetime > 0 ? DeviceBuffer(count: n, value: 1) : nil
        diffusionRate = config.diffusion > 0 ? DeviceBuffer(count: n) : nil
        resetBias = DeviceBuffer(count: n)
        piecewiseNodesUp = DeviceBuffer(count: config.piecewiseUp.count)
        piecewiseNodesUp.assign(config.piecewiseUp)
        piecewiseNodesDown = DeviceBuffer(count: config.piecewiseDown.count)
        piecewiseNodesDown.assign(config.piecewiseDown)
        granularity = config.granularity
        sampleDeviceToDevice(&construction)
        if let apparent { apparent.copy(from: hidden) }
    }

    deinit { dirty?.deallocate() }

    /// A fresh noise source for the next event outside pulsed updates.
    func withEventNoise<R>(_ body: (inout NoiseSource) -> R) -> R {
        let counter = eventCounter
        eventCounter &+= 1
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: NoiseSource.scratchFloats) { scratch in
            var source = NoiseSource(eventKey.generator(counter), scratch: scratch.baseAddress!)
            return body(&source)
        }
    }

    /// docs/devices.md, "Device-to-device sampling" (common draws) and §2.3 (model-specific draws). Gaussians are not truncated.
    private func sampleDeviceToDevice(_ g: inout Xoshiro256) {
        let c = config
        let upBias: Float = c.upDown < 0 ? c.upDown : 0
        let downBias: Float = c.upDown > 0 ? -c.upDown : 0
        @inline(__always) func gauss(_ s: Float, _ g: inout Xoshiro256) -> Float { s != 0 ? s * g.nextGaussian() : 0 }
        for i in 0..<rows {
            for j in 0..<cols {
                let k = i * cols + j
                var hi = c.wMax * (1 + gauss(c.wMaxDtod, &g))
                var lo = c.wMin * (1 + gauss(c.wMinDtod, &g))
                let xi = gauss(c.dwMinDtod, &g)
                let gain = c.dwMinDtodLogNormal ? Float(exp(Double(xi))) : 1 + xi
                let r = gauss(c.upDownDtod, &g)
                var up = (upBias + gain + r) * c.dwMin
                var down = (downBias + gain - r) * c.dwMin
                if c.enforceConsistency {
                    up = abs(up)
                    down = abs(down)
                    if lo > hi { swap(&lo, &hi) }
                    hi = abs(hi)
                    lo = -abs(lo)
                } else if lo > hi {
                    let mid = 0.5 * (lo + hi)
                    lo = mid
                    hi = mid
                }
                if c.corruptDevicesProb > 0, g.nextUniform() < c.corruptDevicesProb {
                    let range = abs(c.corruptDevicesRange)
                    let a = max(min(hi, lo), -range), b = min(max(hi, lo), range)
                    let v = a + (b - a) * g.nextUniform()
                    hi = v; lo = v; up = 0; down = 0
                }
                if c.perfectBias && j == cols - 1 {
                    up = c.dwMin; down = c.dwMin
                    hi = 100 * c.wMax; lo = 100 * c.wMin
                }
                if let rate = diffusionRate { rate[k] = abs(c.diffusion * (1 + gauss(c.diffusionDtod, &g))) }
                resetBias[k] = c.reset + gauss(c.resetDtod, &g)
                if let decay {
                    let tau = c.lifetime * (1 + gauss(c.lifetimeDtod, &g))
                    decay[k] = tau > 1 ? 1 - 1 / tau : 0
                }
                stepUp[k] = up
                stepDown[k] = down
                bMax[k] = hi
                bMin[k] = lo
            }
        }
        // Model-specific draws (docs/devices.md, "Device models"), loop order i outer, j inner.
        switch c.model {
        case .constantStep, .expStep, .piecewiseStep, .floatingPoint, .ideal:
            break
        case .linearStep, .softBounds:
            for k in 0..<count { sampleLinearSlopes(k, &g) }
        case .softBoundsReference:
            for k in 0..<count {
                if bMax[k] > 0 && bMin[k] < 0 {
                    bMax[k] /= abs(1 + gauss(c.slopeUpDtod, &g))
                    bMin[k] /= abs(1 + gauss(c.slopeDownDtod, &g))
                }
                // Soft bounds on g: up step Δ⁺(1 − g/b_max), down Δ⁻(1 − g/b_min); the
                // g/b term is dropped when that bound does not enclose 0 (docs/devices.md, "Device models").
                slopeUp[k] = bMax[k] > 0 ? -stepUp[k] / bMax[k] : 0
                slopeDown[k] = bMin[k] < 0 ? -stepDown[k] / bMin[k] : 0
                var ref = c.referenceMean + gauss(c.referenceStd, &g)
                if c.subtractSymmetryPoint && bMax[k] > 0 && bMin[k] < 0 {
                    let sp = linearSymmetryPoint(k)
                    if sp.isFinite {
                        ref += sp
                        resetBias[k] += sp
                    }
                }
                reference![k] = ref
            }
        case .powStep, .powStepReference:
            let ub: Float = c.powUpDown < 0 ? c.powUpDown : 0
            let db: Float = c.powUpDown > 0 ? -c.powUpDown : 0
            for k in 0..<count {
                let gain = 1 + gauss(c.powGammaDtod, &g)
                let r = gauss(c.powUpDownDtod, &g)
                var gu = (ub + gain + r) * c.powGamma
                var gd = (db + gain - r) * c.powGamma
                if c.enforceConsistency { gu = abs(gu); gd = abs(gd) }
                powGammaUp![k] = gu
                powGammaDown![k] = gd
            }
            if c.model == .powStepReference {
                for k in 0..<count {
                    var ref = c.referenceMean + gauss(c.referenceStd, &g)
                    if c.subtractSymmetryPoint && bMax[k] > 0 && bMin[k] < 0 {
                        let sp = iterativeSymmetryPoint(k, steps: c.nEstimationSteps)
                        ref += sp
                        resetBias[k] += sp
                    }
                    reference![k] = ref
                }
            }
        }
    }

    /// LinearStep / SoftBounds slopes (docs/devices.md, "Device models"): s⁺ = −γ⁺Δ⁺/R⁺, s⁻ = −γ⁻Δ⁻/R⁻.
    private func sampleLinearSlopes(_ k: Int, _ g: inout Xoshiro256) {
        let c = config
        var gu: Float = 1, gd: Float = 1
        var meanRef = false
        if c.model == .linearStep {
            gu = c.gammaUp + (c.gammaUpDtod != 0 ? c.gammaUpDtod * g.nextGaussian() : 0)
            gd = c.gammaDown + (c.gammaDownDtod != 0 ? c.gammaDownDtod * g.nextGaussian() : 0)
            if !c.allowIncreasing { gu = abs(gu); gd = abs(gd) }
            meanRef = c.meanBoundReference
        }
        var rUp = meanRef ? c.wMax : bMax[k]
        var rDown = meanRef ? c.wMin : bMin[k]
        if c.reverseUp { rUp = (meanRef ? c.wMin : bMin[k]) - c.reverseOffset }
        if c.reverseDown { rDown = (meanRef ? c.wMax : bMax[k]) + c.reverseOffset }
        // Up step Δ⁺ + s⁺·w, down step magnitude Δ⁻ + s⁻·w (the storage convention).
        slopeUp[k] = rUp != 0 ? -gu * stepUp[k] / rUp : 0
        slopeDown[k] = rDown != 0 ? -gd * stepDown[k] / rDown : 0
    }
}
