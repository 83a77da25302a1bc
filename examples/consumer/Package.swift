// swift-tools-version: 6.1
import PackageDescription

// A package that uses CrossbarKit the usual way: as a versioned dependency by URL. The URL
// comes from CROSSBARKIT_URL (scripts/ci/consumer-test.sh points it at a tagged clone of this
// repository); in your own package write the repository's URL instead.
let crossbarKitURL = Context.environment["CROSSBARKIT_URL"] ?? "https://example.invalid/CrossbarKit.git"

let package = Package(
    name: "Consumer",
    dependencies: [
        .package(url: crossbarKitURL, from: "0.1.0"),
    ],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [.product(name: "CrossbarKit", package: "CrossbarKit")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
