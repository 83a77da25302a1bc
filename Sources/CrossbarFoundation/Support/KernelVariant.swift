import CPulseKernels

/// Which variant of the pulse kernels runs: the hot loops of the pulsed update and the device
/// noise are compiled twice, for the x86-64 baseline (``portable``) and with AVX2, FMA, BMI2 and
/// POPCNT (``avx2``), and the best variant the CPU supports is chosen once when the program
/// starts (docs/devices.md, "Kernel variants"). Both compute every value with the same
/// operations in the same order, so results never depend on the variant; only the speed does.
/// `CROSSBAR_KERNELS=portable` in the environment forces the portable variant.
public enum KernelVariant: String, Sendable, CaseIterable {
    case portable
    case avx2 = "avx2-fma"

    /// The variant in use.
    public static var current: KernelVariant { cpk_kernel_variant() == 1 ? .avx2 : .portable }

    /// True when this CPU can run ``avx2``.
    public static var avx2Supported: Bool { cpk_cpu_supports_avx2() == 1 }

    /// The variants this CPU can run.
    public static var available: [KernelVariant] { avx2Supported ? [.portable, .avx2] : [.portable] }

    /// Makes `variant` (nil: the automatic choice) the variant in use, for every thread; returns
    /// the variant now in use (``portable`` when ``avx2`` is asked for but not supported). For
    /// tests and benchmarks.
    @discardableResult
    public static func force(_ variant: KernelVariant?) -> KernelVariant {
        let code: Int32 = switch variant {
        case nil: -1
        case .portable: 0
        case .avx2: 1
        }
        return cpk_force_kernel_variant(code) == 1 ? .avx2 : .portable
    }
}
