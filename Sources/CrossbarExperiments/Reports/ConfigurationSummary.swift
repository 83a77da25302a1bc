import Foundation
import CrossbarDevices
import CrossbarTile
import CrossbarAlgorithms

/// A few human-readable lines that state every setting of a tile configuration a reader of a
/// results header needs: IO resolution and noise, the update's pulse trains, the devices of
/// each array and the algorithm's transfer and chopper settings. Values are the resolved ones
/// (what the simulation uses), not the fields a user happened to set.
public enum ConfigurationSummary {
    /// The lines for `configuration` (no trailing newlines).
    public static func lines(_ configuration: TileConfiguration) -> [String] {
        if configuration.isFloatingPoint { return ["floating point: exact MVMs and exact updates (no device)"] }
        var out = ["forward/backward IO: " + io(configuration.forward),
                   "update: " + update(configuration.update)]
        switch configuration.device {
        case let .single(d):
            out.append("device (one array): " + device(d))
        case let .compound(c):
            let names = c.kind == .mixedPrecision ? ["W"] : ["A", "C (W)"] + (2..<max(c.unitCellDevices.count, 2)).map { "device \($0)" }
            for (k, d) in c.unitCellDevices.enumerated() { out.append("device \(names[k]): " + device(d)) }
            out.append("algorithm: " + compound(c))
            if c.kind != .mixedPrecision {
                out.append("transfer read IO: " + io(c.transferForward))
                out.append("transfer write: " + update(c.transferUpdate))
            }
        }
        return out
    }

    /// DAC/ADC bits, bounds, output noise and management of an IO setting.
    public static func io(_ p: IOParameters) -> String {
        if p.isPerfect { return "perfect (exact)" }
        return "DAC \(bits(p.inpRes)), ADC \(bits(p.outRes)), out_noise \(number(p.outNoise)), out_bound \(number(p.outBound)), "
            + "noise management \(p.noiseManagement.rawValue), bound management \(p.boundManagement.rawValue)"
    }

    /// Pulse-train length and management of an update setting.
    public static func update(_ u: UpdateParameters) -> String {
        "desired_bl \(u.desiredBL), \(u.pulseType.rawValue), update management \(u.effectiveUpdateManagement ? "on" : "off"), "
            + "BL management \(u.updateBLManagement ? "on" : "off")"
    }

    /// The device fields a results reader needs (model, states, spreads, noise, reference).
    public static func device(_ d: DeviceConfig) -> String {
        let states = d.dwMin > 0 ? "\(Int(saturating: ((d.wMax - d.wMin) / d.dwMin).rounded())) states" : "no step"
        var s = "\(d.model.rawValue), dw_min \(number(d.dwMin)) (\(states)), "
        s += "w [\(number(d.wMin)), \(number(d.wMax))] dtod \(number(d.wMinDtod))/\(number(d.wMaxDtod)), "
        s += "up_down \(number(d.upDown)) dtod \(number(d.upDownDtod)), dw_min_dtod \(number(d.dwMinDtod))"
        s += d.dwMinDtodLogNormal ? " (log-normal)" : ""
        s += ", dw_min_std \(number(d.dwMinStd))"
        if d.writeNoiseStd > 0 { s += ", write_noise_std \(number(d.writeNoiseStd))" }
        if d.model == .softBoundsReference {
            s += ", reference_mean \(number(d.referenceMean)), reference_std (σ_r) \(number(d.referenceStd))"
            s += d.subtractSymmetryPoint ? ", reference at the symmetry point" : ""
        }
        return s
    }

    /// The algorithm fields of a compound.
    public static func compound(_ c: CompoundConfig) -> String {
        switch c.kind {
        case .mixedPrecision:
            return "mixed precision, transfer_every \(number(c.transferEvery)), n_rows_per_transfer \(c.nRowsPerTransfer), "
                + "granularity \(number(c.granularity)), n_x_bins \(c.nXBins), n_d_bins \(c.nDBins)"
        case .transfer:
            return "Tiki-Taka v1, fast_lr \(number(c.fastLR))\(c.scaleFastLR ? " × η" : ""), transfer_every \(number(c.transferEvery))"
                + "\(c.unitsInMbatch ? " mini-batches" : " vectors"), gamma \(number(c.gamma))"
        case .buffered, .chopped, .dynamic:
            var s = c.kind == .buffered ? "TTv2 (buffered)" : c.algorithm == .ttv2 ? "TTv2 (chopped, no chopper)" : c.algorithm == .agad ? "AGAD" : "c-TTv2"
            s += ", fast_lr \(number(c.fastLR))\(c.scaleFastLR ? " × η" : "")\(c.autoScale ? " (auto_scale)" : "")"
            s += ", transfer_every \(number(c.transferEvery)) \(c.unitsInMbatch ? "mini-batches" : "vectors")"
            s += ", auto_granularity \(number(c.autoGranularity)), buffer_granularity \(number(c.bufferGranularity))"
            if c.kind != .buffered {
                s += ", in_chop_prob \(number(c.inChopProb)) (\(c.inChopRandom ? "random" : "regular"))"
                if c.outChopProb > 0 { s += ", out_chop_prob \(number(c.outChopProb))" }
            }
            if c.kind == .dynamic { s += ", tail_weightening \(number(c.tailWeightening))" }
            return s
        }
    }

    /// "8-bit" for a resolution of 1/254, "off" for none.
    static func bits(_ res: Float) -> String {
        let step = IOParameters.scaledResolution(res)
        guard step > 0 else { return "off" }
        let b = log2(1 / Double(step) + 2)
        return abs(b - b.rounded()) < 1e-3 ? "\(Int(saturating: b.rounded()))-bit" : "step \(number(step))"
    }

    /// A compact decimal (up to 4 significant digits).
    static func number(_ v: Float) -> String {
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        return String(format: "%.4g", Double(v))
    }
}
