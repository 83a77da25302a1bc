import CrossbarFoundation
import CrossbarDevices
import CrossbarTile
import CrossbarAlgorithms

/// The paper's single-device illustration (Rasch et al. 2023, Fig. 3): a small array of
/// soft-bounds reference devices trained with a constant gradient by TTv2, c-TTv2 or AGAD, with
/// the reference of the accumulation array A either at the devices' symmetry points or offset
/// from them. One element, (0, 0), is traced: its A value, its buffer H, its weight, AGAD's
/// running mean p and reference p_ref, and its chopper sign.
///
/// Setup (docs/io.md and §7.7):
/// - `size`×`size` tile (default 5×5), devices of A and W: ``defaultDevice`` (soft bounds on the
///   conductance, w ∈ [−1, 1], dw_min 0.05, so 40 states), with `subtract_symmetry_point`, so the
///   reference of A is its symmetry point plus `offset` (`reference_mean` of A). W has no offset.
/// - A starts at its symmetry point (the device state a reference is programmed to after
///   zero-shifting), so its visible weight — what a read returns — starts at −`offset`.
///   W starts at 0.
/// - Every update uses the same input x = (1, …, 1) and error d = (`gradient`, …,
///   `gradient`): the gradient d·xᵀ is constant, and gradient descent (W ← W − η d xᵀ) wants W
///   to move in the direction −sign(`gradient`); with the default `gradient` +1 that is DOWN.
///   An offset o makes every read of A return −o more than the device's distance from its
///   symmetry point, so an offset of the SAME sign as the gradient (o > 0 for the default)
///   pushes H the right way (it only speeds TTv2 up), and an offset of the OPPOSITE sign (o < 0,
///   e.g. the paper's −0.8) opposes the gradient: TTv2 breaks down.
/// - One column is read every `transfer_every` updates, in turn, so each element is read every
///   `size`·`transfer_every` updates (25 with the defaults, as in the paper).
/// - c-TTv2 and AGAD switch their chopper regularly (in_chop_random false) every
///   ⌈1/in_chop_prob⌉ sweeps; TTv2 has no chopper.
///
/// The learning-rate bookkeeping is deliberately simple: auto_scale off and an absolute fast
/// learning rate (`fast_lr`), so each element of A receives on average
/// fast_lr·|gradient|/dw_min pulses per update (0.1 with the defaults); H grows by
/// transfer_lr·η/(buffer_granularity·dw_min) per unit read (η = `learning_rate`).
public struct ToyExperiment: ConfigRecord {
    /// Trace file and result name.
    public static let taskName = "toy"

    /// ttv2, c-ttv2 or agad.
    public var algorithm: AlgorithmName = .cTTv2
    /// Reference offset of A (its `reference_mean`, added to the symmetry point), in weight
    /// units. Default 0 (reference at the symmetry point).
    public var offset: Float = 0
    /// Number of updates. Default 4000.
    public var updates = 4000
    /// Master seed of all random streams. Default 1.
    public var seed: UInt64 = 1
    /// Rows and columns of the tile. Default 5.
    public var size = 5
    /// The error value of every output (x = 1 everywhere), i.e. the constant gradient d·xᵀ.
    /// Default 1 (W should move down).
    public var gradient: Float = 1
    /// SGD learning rate η (scales the transfer learning rate only). Default 1.
    public var learningRate: Float = 1
    /// Absolute learning rate of A (auto_scale off, not scaled by η): expected pulses per
    /// element and update = fast_lr·|gradient|/dw_min. Default 0.005 (0.1 pulses).
    public var fastLR: Float = 0.005
    /// Updates between two column reads. Default 5 (each element read every 25 updates).
    public var transferEvery = 5
    /// Transfer learning rate. Default 1.
    public var transferLR: Float = 1
    /// H's unit in units of dw_min of A: H grows by transfer_lr·η/(buffer_granularity·dw_min)
    /// per unit read. Default 100 (0.2 per unit read).
    public var bufferGranularity: Float = 100
    /// 1/(chopper half-period in sweeps) of c-TTv2 and AGAD (regular switching). Default 0.05
    /// (a switch every 20 sweeps = 500 updates).
    public var inChopProb: Float = 0.05
    /// AGAD tail weighting (β = min(tail_weightening·in_chop_prob, 1)). Default 5.
    public var tailWeightening: Float = 5
    /// The device of A and W (A gets `offset` as reference_mean). Default ``defaultDevice``.
    public var device: DeviceConfig = ToyExperiment.defaultDevice
    /// IO of the transfer reads. Default perfect (the figure is about offsets, not read noise).
    public var readIO: IOParameters = .perfect

    public init() {}

    /// Soft-bounds reference device, w ∈ [−1, 1], dw_min 0.05 (40 states), symmetry point
    /// subtracted; device-to-device spreads of the step (dw_min_dtod), of the up/down asymmetry
    /// (up_down_dtod, which moves the symmetry point) and of the bounds, and the
    /// cycle-to-cycle noise (dw_min_std), all 0.1: visible, but small enough that the plotted
    /// element behaves like the mean device.
    public static var defaultDevice: DeviceConfig {
        var d = DeviceConfig(model: .softBoundsReference)
        d.wMax = 1
        d.wMin = -1
        d.dwMin = 0.05
        d.dwMinDtod = 0.1
        d.dwMinStd = 0.1
        d.upDownDtod = 0.1
        d.wMaxDtod = 0.1
        d.wMinDtod = 0.1
        d.subtractSymmetryPoint = true
        return d
    }

    public static var fields: [ConfigField<ToyExperiment>] {
        [
            .init("algorithm", \.algorithm),
            .init("offset", \.offset),
            .init("updates", \.updates),
            .init("seed", \.seed),
            .init("size", \.size),
            .init("gradient", \.gradient),
            .init("learning_rate", \.learningRate),
            .init("fast_lr", \.fastLR),
            .init("transfer_every", \.transferEvery),
            .init("transfer_lr", \.transferLR),
            .init("buffer_granularity", \.bufferGranularity),
            .init("in_chop_prob", \.inChopProb),
            .init("tail_weightening", \.tailWeightening),
            .init("device", \.device),
            .init("read_io", \.readIO),
        ]
    }

    public func validate() throws {
        switch algorithm {
        case .ttv2, .cTTv2, .agad: break
        default:
            throw CrossbarError.invalidParameter(field: "algorithm", value: algorithm.rawValue, allowed: "ttv2, c-ttv2 or agad")
        }
        try Check.finite(offset, "offset")
        try Check.atLeast(updates, 0, "updates")
        if updates > 10_000_000 {
            throw CrossbarError.invalidParameter(field: "updates", value: "\(updates)", allowed: "0…10000000")
        }
        try Check.atLeast(size, 1, "size")
        if size > 64 { throw CrossbarError.invalidParameter(field: "size", value: "\(size)", allowed: "1…64") }
        try Check.finite(gradient, "gradient")
        if gradient == 0 { throw CrossbarError.invalidParameter(field: "gradient", value: "0", allowed: "a non-zero number") }
        try Check.positive(learningRate, "learning_rate")
        try Check.positive(fastLR, "fast_lr")
        try Check.atLeast(transferEvery, 1, "transfer_every")
        try Check.positive(transferLR, "transfer_lr")
        try Check.positive(bufferGranularity, "buffer_granularity")
        try CompoundConfig.validateChopProbability(inChopProb, needsChopper: true)
        try Check.nonNegative(tailWeightening, "tail_weightening")
        if device.model != .softBoundsReference && device.model != .powStepReference {
            throw CrossbarError.invalidParameter(field: "device.type", value: device.model.rawValue,
                                                 allowed: "soft_bounds_reference or pow_step_reference (a device with a reference)")
        }
        do { try device.validate() } catch let e as CrossbarError { throw e.prefixed(by: "device") }
        do { try readIO.validate() } catch let e as CrossbarError { throw e.prefixed(by: "read_io") }
    }

    /// The devices of A (reference at the symmetry point + offset) and W (no offset).
    public func resolvedDevices() -> (a: DeviceConfig, w: DeviceConfig) {
        var a = device
        a.subtractSymmetryPoint = true
        a.referenceMean = offset
        var w = device
        w.referenceMean = 0
        w.referenceStd = 0
        return (a, w)
    }

    /// The compound this toy trains: c-TTv2 (`chopped_transfer_compound`; in_chop_prob 0 for
    /// TTv2) or AGAD (`dynamic_transfer_compound`), regular chopper, auto_scale off, absolute
    /// fast learning rate, one pulse per threshold crossing.
    public func compound() -> CompoundConfig {
        let (a, w) = resolvedDevices()
        var c = CompoundConfig(algorithm: algorithm, devices: [a, w])!
        c.transferForward = readIO
        c.transferEvery = Float(transferEvery)
        c.unitsInMbatch = false
        c.autoScale = false
        c.fastLR = fastLR
        c.scaleFastLR = false
        c.transferLR = transferLR
        c.bufferGranularity = bufferGranularity
        if algorithm.usesChoppers { c.inChopProb = inChopProb }
        c.inChopRandom = false
        c.tailWeightening = tailWeightening
        return c
    }

    /// The full tile configuration (the update parameters of A: stochastic pulse trains with
    /// the default desired_bl 31 and update management).
    public func tileConfiguration() -> TileConfiguration {
        TileConfiguration(forward: .perfect, backward: .perfect, update: UpdateParameters(), device: .compound(compound()))
    }
}
