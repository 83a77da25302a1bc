import CrossbarFoundation

/// The reference simulator's preset devices (docs/devices.md, "Presets"), by name. Each preset names the
/// measurement it was fitted to in its doc comment (as in the reference simulator).
public enum DevicePresets {
    /// Preset names in display order.
    public static let names = ["ReRamES", "ReRamSB", "Capacitor", "EcRam", "EcRamMO", "Idealized",
                               "GokmenVlasov", "PCM", "ReRamArrayOM", "ReRamArrayHfO2"]

    /// One-line descriptions (the data each preset was fitted to).
    public static let descriptions: [String: String] = [
        "ReRamES": "ReRAM, exponential-step fit (ExpStep) of measured HfO2 ReRAM pulse responses",
        "ReRamSB": "ReRAM, soft-bounds fit (SoftBoundsReference) of the same ReRAM measurements",
        "Capacitor": "CMOS capacitor cell (LinearStep) with leakage (lifetime 1e6)",
        "EcRam": "Li-based ECRAM (LinearStep), Tang et al. IEDM 2018",
        "EcRamMO": "metal-oxide ECRAM (LinearStep), Kim et al. IEDM 2019",
        "Idealized": "idealised device with 10,000 states (ConstantStep)",
        "GokmenVlasov": "the device of Gokmen & Vlasov 2016 (ConstantStep, ~1200 states)",
        "PCM": "phase-change memory, one-sided (ExpStep) — here a single device, no refresh cell",
        "ReRamArrayOM": "ReRAM array (OM), SoftBoundsReference fit of array statistics",
        "ReRamArrayHfO2": "ReRAM array (HfO2), SoftBoundsReference fit of array statistics",
    ]

    /// The preset device `name` (case-insensitive). Throws for unknown names.
    public static func device(_ name: String) throws -> DeviceConfig {
        guard let canonical = names.first(where: { $0.lowercased() == name.lowercased() }) else {
            throw CrossbarError.unknownName(kind: "device preset", name: name, known: names)
        }
        return make(canonical)
    }

    package static func make(_ name: String) -> DeviceConfig {
        switch name {
        case "ReRamES":
            var d = DeviceConfig(model: .expStep)
            d.dwMin = 0.00135; d.upDown = 0.259359; d.wMax = 1; d.wMin = -1
            d.expA = -0.5; d.expB = -0.5; d.gammaUp = 5; d.gammaDown = 5
            d.aUp = -1.18445; d.aDown = -0.081404
            d.dwMinDtod = 0.2; d.upDownDtod = 0.05; d.wMaxDtod = 0.3; d.wMinDtod = 0.3
            d.dwMinStd = 5.0; d.writeNoiseStd = 75
            return d
        case "ReRamSB":
            var d = DeviceConfig(model: .softBoundsReference)
            d.dwMin = 0.002; d.upDown = 0; d.wMax = 1.25; d.wMin = -0.75; d.multNoise = false
            d.dwMinDtod = 0.3; d.upDownDtod = 0.01; d.wMaxDtod = 0.3 / 1.25; d.wMinDtod = 0.3 / 0.75
            d.dwMinStd = 3.75; d.writeNoiseStd = 56
            return d
        case "Capacitor":
            var d = DeviceConfig(model: .linearStep)
            d.dwMin = 0.005; d.upDown = 0; d.wMax = 1; d.wMin = -1; d.multNoise = false
            d.gammaUp = 0.05; d.gammaDown = 0.05; d.dwMinDtod = 0.1; d.upDownDtod = 0.06
            d.wMaxDtod = 0.07; d.wMinDtod = 0.07; d.gammaUpDtod = 0.01; d.gammaDownDtod = 0.01
            d.dwMinStd = 0.3; d.writeNoiseStd = 0; d.meanBoundReference = true
            d.lifetime = 1e6; d.lifetimeDtod = 0.3
            return d
        case "EcRam":
            var d = DeviceConfig(model: .linearStep)
            d.dwMin = 0.002; d.upDown = 0; d.wMax = 1.1724; d.wMin = -0.8276; d.multNoise = true
            d.gammaUp = 0.1153; d.gammaDown = 0.5085; d.dwMinDtod = 0.1; d.upDownDtod = 0.01
            d.wMaxDtod = 0.05; d.wMinDtod = 0.05; d.gammaUpDtod = 0.05; d.gammaDownDtod = 0.05
            d.dwMinStd = 0.3; d.writeNoiseStd = 0; d.meanBoundReference = true
            return d
        case "EcRamMO":
            var d = DeviceConfig(model: .linearStep)
            d.dwMin = 2.8214e-4; d.upDown = 0; d.wMax = 1.1714; d.wMin = -0.8286; d.multNoise = true
            d.gammaUp = 0.4152; d.gammaDown = 0.7342; d.dwMinDtod = 0.1; d.upDownDtod = 0.01
            d.wMaxDtod = 0.05; d.wMinDtod = 0.05; d.gammaUpDtod = 0.05; d.gammaDownDtod = 0.05
            d.dwMinStd = 2.0; d.writeNoiseStd = 0; d.meanBoundReference = true
            return d
        case "Idealized":
            var d = DeviceConfig(model: .constantStep)
            d.dwMin = 0.0002; d.dwMinDtod = 0.3; d.dwMinStd = 0.3; d.upDown = 0; d.upDownDtod = 0
            d.wMax = 1; d.wMin = -1; d.wMaxDtod = 0.3; d.wMinDtod = 0.3
            return d
        case "GokmenVlasov":
            var d = DeviceConfig(model: .constantStep)
            d.dwMin = 0.0016; d.dwMinDtod = 0.3; d.dwMinStd = 0.3; d.upDown = 0; d.upDownDtod = 0.01
            d.wMax = 1; d.wMin = -1; d.wMaxDtod = 0.3; d.wMinDtod = 0.3
            return d
        case "PCM":
            var d = DeviceConfig(model: .expStep)
            d.dwMin = 0.01; d.upDown = 0; d.wMax = 2; d.wMin = 0; d.expA = -1; d.expB = 0
            d.gammaUp = 2.5; d.gammaDown = 2.5; d.aUp = -27.235; d.aDown = -2.235
            d.dwMinDtod = 0.2; d.upDownDtod = 0.05; d.wMaxDtod = 0.1; d.wMinDtod = 0
            d.dwMinStd = 0.6; d.dwMinStdAdd = 0.042; d.dwMinStdSlope = 0.108; d.writeNoiseStd = 0
            d.reset = 0.01; d.resetDtod = 0.02
            return d
        case "ReRamArrayOM", "ReRamArrayHfO2":
            var d = DeviceConfig(model: .softBoundsReference)
            d.enforceConsistency = true; d.dwMinDtodLogNormal = true
            d.upDown = 0; d.wMax = 1; d.wMin = -1; d.multNoise = false; d.upDownDtod = 0.01
            d.corruptDevicesRange = 0.01; d.corruptDevicesProb = 0; d.subtractSymmetryPoint = true
            d.referenceStd = 0.05
            if name == "ReRamArrayOM" {
                d.dwMin = 0.0949; d.dwMinDtod = 0.7829; d.wMaxDtod = 0.3499; d.wMinDtod = 0.5695
                d.dwMinStd = 0.4158; d.writeNoiseStd = 1.4113
            } else {
                d.dwMin = 0.4622; d.dwMinDtod = 0.7125; d.wMaxDtod = 0.4295; d.wMinDtod = 0.5990
                d.dwMinStd = 0.2174; d.writeNoiseStd = 0.5841
            }
            return d
        default:
            preconditionFailure("unknown preset \(name)")
        }
    }
}
