import Foundation
import CrossbarFoundation
import CrossbarTile
import CrossbarAlgorithms
import CrossbarTraining

/// The trace of element (0, 0) of ``ToyExperiment``: one entry per update, recorded after the
/// update (and after its transfer, if one happened).
public struct ToyTrace: Sendable, Equatable {
    /// The experiment that produced the trace (its JSON is the trace's provenance).
    public var experiment: ToyExperiment
    /// Update number, 1…updates.
    public var step: [Int] = []
    /// Visible weight of A (what a read of A returns: conductance minus reference).
    public var a: [Float] = []
    /// The buffer H (dimensionless, threshold ±1).
    public var h: [Float] = []
    /// The tile's weight W (= C).
    public var weight: [Float] = []
    /// AGAD's running mean p and reference p_ref (nil for TTv2 and c-TTv2).
    public var p: [Float]?
    public var pRef: [Float]?
    /// The chopper sign in_chopper·out_chopper of the element, as it applies to the NEXT update.
    public var chopper: [Int8] = []
    /// Steps at which the element was read (its column was transferred).
    public var readSteps: [Int] = []
    /// Steps after which the element's chopper sign changed.
    public var chopperSwitches: [Int] = []
    /// Steps at which the element's weight received transfer pulses.
    public var writeSteps: [Int] = []
    /// Net transfer pulses written to the element's weight so far, counted positive in the
    /// direction gradient descent wants (down pulses for a positive gradient): how far the
    /// transfer has moved the weight, in pulses, independent of the weight's soft bounds.
    public var netPulses: [Int] = []
    /// Pulses per update on A and on W (whole array).
    public var pulsesPerUpdate: [String: Double] = [:]

    public init(experiment: ToyExperiment) { self.experiment = experiment }

    /// The weight before the first update (0: W is programmed to 0).
    public var initialWeight: Float { 0 }

    /// The weight after the last update.
    public var finalWeight: Float { weight.last ?? initialWeight }

    /// Weight change over the whole run, in the direction gradient descent wants: positive when
    /// the weight moved the right way (opposite to the gradient's sign).
    public var progress: Float { (finalWeight - initialWeight) * (experiment.gradient > 0 ? -1 : 1) }

    /// Net transfer pulses in the right direction over the whole run (see ``netPulses``).
    public var totalNetPulses: Int { netPulses.last ?? 0 }

    /// The chopper phases: the intervals between consecutive chopper switches (the first from
    /// the start, the last up to the end of the run, so the first and last may be partial).
    public var chopperPhases: [ChopperPhase] {
        var bounds = [0] + chopperSwitches
        if bounds.last != step.count { bounds.append(step.count) }
        let sign: Float = experiment.gradient > 0 ? -1 : 1
        var result: [ChopperPhase] = []
        for k in 1..<bounds.count {
            let start = bounds[k - 1], end = bounds[k]
            let w0 = start == 0 ? initialWeight : weight[start - 1]
            let n0 = start == 0 ? 0 : netPulses[start - 1]
            result.append(ChopperPhase(firstStep: start + 1, lastStep: end, chopper: start == 0 ? 1 : chopper[start - 1],
                                       progress: (weight[end - 1] - w0) * sign, netPulses: netPulses[end - 1] - n0,
                                       complete: k > 1 && k <= chopperSwitches.count))
        }
        return result
    }

    /// Weight change in the right direction (as ``progress``) over each chopper phase.
    public var progressPerChopperPhase: [Float] { chopperPhases.map(\.progress) }

    /// The CSV text: the header `step,a,h,weight,p,p_ref,chopper` and one row per update (p and
    /// p_ref empty where the algorithm has none). The experiment that produced it is in
    /// ``summary`` (``writeSummary(to:)``).
    public func csv() -> String {
        var s = "step,a,h,weight,p,p_ref,chopper\n"
        s.reserveCapacity(64 * (step.count + 1))
        for k in step.indices {
            s += "\(step[k]),\(a[k]),\(h[k]),\(weight[k]),"
            s += p.map { "\($0[k])" } ?? ""
            s += ","
            s += pRef.map { "\($0[k])" } ?? ""
            s += ",\(chopper[k])\n"
        }
        return s
    }

    /// The provenance and outcome of the run: the full experiment (seed included), the
    /// CrossbarKit version and the summary numbers.
    public var summary: ToySummary {
        ToySummary(version: CrossbarVersion.current, experiment: experiment, finalWeight: finalWeight, progress: progress,
                   netPulses: totalNetPulses, reads: readSteps.count, writes: writeSteps.count, chopperSwitches: chopperSwitches,
                   netPulsesPerChopperPhase: chopperPhases.map(\.netPulses), pulsesPerUpdate: pulsesPerUpdate)
    }

    /// Writes ``csv()`` to `path` atomically (nothing else: the summary is written only by
    /// ``writeSummary(to:)``, to a path of the caller's choosing).
    public func writeCSV(to path: String) throws {
        try AtomicFile.write(csv(), to: path)
    }

    /// Writes ``summary`` (JSON) to `path` atomically.
    public func writeSummary(to path: String) throws {
        try AtomicFile.write(JSONCoding.encodeString(summary) + "\n", to: path)
    }
}

/// The provenance and outcome of a ``ToyTrace`` (JSON, snake_case keys).
public struct ToySummary: Sendable, Equatable, Codable {
    public var version: String
    public var experiment: ToyExperiment
    public var finalWeight: Float
    public var progress: Float
    public var netPulses: Int
    public var reads: Int
    public var writes: Int
    public var chopperSwitches: [Int]
    public var netPulsesPerChopperPhase: [Int]
    public var pulsesPerUpdate: [String: Double]

    enum CodingKeys: String, CodingKey {
        case version, experiment, reads, writes, progress
        case finalWeight = "final_weight"
        case netPulses = "net_pulses"
        case chopperSwitches = "chopper_switches"
        case netPulsesPerChopperPhase = "net_pulses_per_chopper_phase"
        case pulsesPerUpdate = "pulses_per_update"
    }
}

/// One chopper phase of a ``ToyTrace``: the updates between two switches of the traced
/// element's chopper sign.
public struct ChopperPhase: Sendable, Equatable {
    /// First and last update of the phase (1-based, inclusive).
    public var firstStep: Int
    public var lastStep: Int
    /// The chopper sign during the phase (+1: the element's gradient pulses have their
    /// unchopped sign).
    public var chopper: Int8
    /// Weight change in the right direction over the phase.
    public var progress: Float
    /// Net right-direction transfer pulses over the phase.
    public var netPulses: Int
    /// True if the phase runs from one switch to the next (not cut by the start or the end of
    /// the run).
    public var complete: Bool
}

extension ToyExperiment {
    /// Runs the toy and records the trace of element (0, 0). Deterministic for a given
    /// configuration (the seed included).
    public func run() throws -> ToyTrace {
        try validate()
        let seeds = SeedSet(master: seed)
        let tile = try AnalogTile(outSize: size, inSize: size, configuration: tileConfiguration(), seeds: seeds, path: "toy")
        guard let core = tile.core as? ChoppedTransferCore else {
            preconditionFailure("the toy builds chopped or dynamic transfer compounds")
        }
        let dynamic = core as? DynamicTransferCore
        try tile.setWeights(Matrix(rows: size, cols: size))
        // A starts at its symmetry point: visible weight = symmetry point − reference.
        let aArray = core.arrays[0].array
        let sp = aArray.symmetryPoints()
        sp.withUnsafeBufferPointer { aArray.setWeights($0.baseAddress!) }
        core.arrays[1].engine.enablePerDeviceCounts()

        var trace = ToyTrace(experiment: self)
        trace.step.reserveCapacity(updates)
        if dynamic != nil { trace.p = []; trace.pRef = [] }
        let x = [Float](repeating: 1, count: size)
        let d = [Float](repeating: gradient, count: size)
        var lastChopper = core.inChoppers[0] * core.outChoppers[0]
        var lastWrites: UInt32 = 0
        let rightDown = gradient > 0
        x.withUnsafeBufferPointer { xp in
            d.withUnsafeBufferPointer { dp in
                for t in stride(from: 1, through: updates, by: 1) {
                    let line = core.nextLine
                    let reads = core.transferReads
                    tile.update(x: FloatBuffer(xp.baseAddress!, count: xp.count), d: FloatBuffer(dp.baseAddress!, count: dp.count),
                                batch: 1, learningRate: learningRate)
                    trace.step.append(t)
                    trace.a.append(aArray.readWeights()[0])
                    trace.h.append(core.buffer.pointer[0])
                    trace.weight.append(tile.core.readWeights[0])
                    if let dynamic {
                        trace.p!.append(dynamic.runningMean.pointer[0])
                        trace.pRef!.append(dynamic.reference.pointer[0])
                    }
                    let chopper = core.inChoppers[0] * core.outChoppers[0]
                    trace.chopper.append(chopper)
                    if core.transferReads != reads && line == 0 { trace.readSteps.append(t) }
                    if chopper != lastChopper { trace.chopperSwitches.append(t) }
                    lastChopper = chopper
                    let engine = core.arrays[1].engine
                    let up = Int(engine.perDeviceUp![0]), down = Int(engine.perDeviceDown![0])
                    let writes = UInt32(up + down)
                    if writes != lastWrites { trace.writeSteps.append(t) }
                    lastWrites = writes
                    trace.netPulses.append(rightDown ? down - up : up - down)
                }
            }
        }
        for (name, c) in tile.core.pulseCounters {
            trace.pulsesPerUpdate[name] = updates > 0 ? Double(c.total) / Double(updates) : 0
        }
        return trace
    }
}
