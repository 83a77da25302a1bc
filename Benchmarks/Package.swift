// swift-tools-version: 6.1
import PackageDescription

/// A package-benchmark suite: an executable target in Benchmarks/NAME run by the benchmark plugin.
func benchmarkSuite(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "CrossbarKit", package: "CrossbarKit"),
            .product(name: "Benchmark", package: "benchmark"),
        ],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "CrossbarKitBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "CrossbarKit", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        benchmarkSuite("MVMBenchmarks"),
        benchmarkSuite("UpdateBenchmarks"),
        benchmarkSuite("TransferBenchmarks"),
        benchmarkSuite("TrainingBenchmarks"),
        // The standard comparison of the benchmark harness (issue 6): a plain executable that runs
        // two sweeps and writes its report to docs/results/ (not a package-benchmark suite: it
        // measures algorithms, not speed; outside Benchmarks/Benchmarks/, where the benchmark plugin
        // looks for suites: it takes every target whose folder sits in a folder named Benchmarks).
        .executableTarget(
            name: "StandardComparison",
            dependencies: [
                .product(name: "CrossbarKit", package: "CrossbarKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/StandardComparison"
        ),
    ],
    swiftLanguageModes: [.v6]
)
