// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the readers of untrusted files (docs/reliability.md, section Fuzzing).
// Build and run them with scripts/fuzz.sh, which passes the sanitizer flags
// (-sanitize=fuzzer,address) on the command line: CrossbarKit's own manifest carries no
// unsafe flags. Each target reads its input through `FuzzEntryPoints` in CrossbarKit, the same
// entry points the replay test (Tests/SweepTests/FuzzReplayTests.swift) calls.
let targetNames = ["json", "sweep", "results", "idx", "checkpoint"]

let package = Package(
    name: "CrossbarFuzz",
    dependencies: [.package(name: "CrossbarKit", path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver (the library comes with -sanitize=fuzzer).
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "CrossbarKit", package: "CrossbarKit")]
        ),
    ] + targetNames.map { name in
        .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzSupport"], path: "Targets/\(name)")
    },
    swiftLanguageModes: [.v6]
)
