// swift-tools-version: 6.1
import PackageDescription

// The layers of CrossbarKit, bottom to top; each module imports only modules below it
// (docs/architecture.md draws the graph). `CrossbarKit` re-exports all of them.
let package = Package(
    name: "CrossbarKit",
    products: [
        .library(name: "CrossbarKit", targets: ["CrossbarKit"]),
        .executable(name: "crossbar", targets: ["crossbar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // `swift package generate-documentation` (scripts/docs.sh): the DocC catalog in
        // Sources/CrossbarKit/CrossbarKit.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // C libraries of the system.
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
        // The hot loops of the pulsed update and the device noise, compiled for the x86-64
        // baseline and for AVX2/FMA/BMI2/POPCNT; the variant the CPU supports is chosen at run
        // time (identical results either way).
        .target(name: "CPulseKernels"),

        // Errors, JSON and configuration records, files, matrices and BLAS, seeded random streams.
        .target(
            name: "CrossbarFoundation",
            dependencies: ["COpenBLAS", "CPulseKernels", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Data sets: IDX files (gzip), MNIST-format folders, synthetic tasks.
        .target(name: "CrossbarData", dependencies: ["CrossbarFoundation", "CZlib"]),
        // SVG line plots and heat maps.
        .target(name: "CrossbarPlot", dependencies: ["CrossbarFoundation"]),
        // Device models and arrays, the pulse kernels and the stochastic pulsed update.
        .target(name: "CrossbarDevices", dependencies: ["CrossbarFoundation"]),
        // The analog MVM (IO) and the tile around a device array.
        .target(name: "CrossbarTile", dependencies: ["CrossbarDevices"]),
        // The training algorithms (compounds) and the tile configuration.
        .target(name: "CrossbarAlgorithms", dependencies: ["CrossbarTile"]),
        // Layers and networks of analog tiles.
        .target(name: "CrossbarNetwork", dependencies: ["CrossbarAlgorithms"]),
        // Training loops, checkpoints, metrics.
        .target(name: "CrossbarTraining", dependencies: ["CrossbarNetwork", "CrossbarData"]),
        // Declarative sweeps, results files, reports (knows no simulator type).
        .target(name: "CrossbarSweep", dependencies: ["CrossbarPlot"]),
        // The paper's experiments, the sweep tasks, fitting, response curves, the standard comparison.
        .target(name: "CrossbarExperiments", dependencies: ["CrossbarTraining", "CrossbarSweep"]),
        // Everything under one import.
        .target(
            name: "CrossbarKit",
            dependencies: ["CrossbarFoundation", "CrossbarData", "CrossbarPlot", "CrossbarDevices", "CrossbarTile",
                           "CrossbarAlgorithms", "CrossbarNetwork", "CrossbarTraining", "CrossbarSweep", "CrossbarExperiments"]
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
