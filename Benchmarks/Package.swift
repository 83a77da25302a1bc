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
    ],
    targets: [
        benchmarkSuite("MVMBenchmarks"),
        benchmarkSuite("UpdateBenchmarks"),
        benchmarkSuite("TransferBenchmarks"),
        benchmarkSuite("TrainingBenchmarks"),
        benchmarkSuite("LSTMBenchmarks"),
    ],
    swiftLanguageModes: [.v6]
)
