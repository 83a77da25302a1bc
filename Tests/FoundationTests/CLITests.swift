import Foundation
import Testing
import TestSupport

/// The `crossbar` executable's handling of bad options: a clear message on stderr naming the
/// option and its allowed range, and a non-zero exit status.
///
/// The test runs the binary built next to the test bundle (`swift build` / `swift test` build
/// every product into the same directory; scripts/test.sh builds release first). If no binary
/// is found the test is skipped with a message saying so, rather than silently passing.
@Suite struct CLITests {
    static let binary = CrossbarExecutable.url
    typealias Result = CrossbarExecutable.Result
    static func run(_ arguments: [String]) throws -> Result { try CrossbarExecutable.run(arguments) }

    @Test(.enabled(if: CLITests.binary != nil, "the crossbar executable is not built (run `swift build` first)"))
    func demoRejectsSizeZero() throws {
        let r = try Self.run(["demo", "--size", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--size"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("0"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("1…4096"), "stderr names the allowed range: \(r.stderr)")
        #expect(!r.stdout.contains("RMS error"), "nothing was computed")
    }

    @Test(.enabled(if: CLITests.binary != nil, "the crossbar executable is not built (run `swift build` first)"))
    func demoRunsWithAValidSize() throws {
        let r = try Self.run(["demo", "--size", "8", "--seed", "3"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("RMS error"))
    }
}
