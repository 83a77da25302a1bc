// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CrossbarKitBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "CrossbarKit", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(
            name: "MVMBenchmarks",
            dependencies: [
                .product(name: "CrossbarKit", package: "CrossbarKit"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MVMBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "UpdateBenchmarks",
            dependencies: [
                .product(name: "CrossbarKit", package: "CrossbarKit"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/UpdateBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                .product(name: "CrossbarKit", package: "CrossbarKit"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TrainingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TransferBenchmarks",
            dependencies: [
                .product(name: "CrossbarKit", package: "CrossbarKit"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TransferBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The standard comparison of the benchmark harness (issue 6): a plain executable that runs
        // two sweeps and writes its report to docs/results/ (not a package-benchmark suite: it
        // measures algorithms, not speed).
        .executableTarget(
            name: "StandardComparison",
            dependencies: [
                .product(name: "CrossbarKit", package: "CrossbarKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/StandardComparison"
        ),
    ],
    swiftLanguageModes: [.v6]
)
