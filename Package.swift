// swift-tools-version: 6.1
import PackageDescription

// The pulse kernels count coincidences with word-wide popcounts and run long float loops;
// on x86-64 we let the compiler use the Haswell instruction set (AVX2, FMA, POPCNT, BMI2),
// which every x86-64 server CPU of the last decade has. Elsewhere the default target is used.
#if arch(x86_64)
let kernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let kernelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "CrossbarKit",
    products: [
        .library(name: "CrossbarKit", targets: ["CrossbarKit"]),
        .executable(name: "crossbar", targets: ["crossbar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Software prefetch for the pulse kernels (a static inline C function).
        .target(name: "CPrefetch"),
        .target(
            name: "CrossbarKit",
            dependencies: ["COpenBLAS", "CZlib", "CPrefetch"],
            swiftSettings: kernelSettings
        ),
        .executableTarget(
            name: "crossbar",
            dependencies: [
                "CrossbarKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["CrossbarKit"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "FoundationTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "DataTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "NetworkTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "SweepTests", dependencies: ["CrossbarKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "IOTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "AlgorithmTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "DeviceTests", dependencies: ["CrossbarKit", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["CrossbarKit", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
