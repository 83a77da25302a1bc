import Foundation
import Testing

/// The `crossbar` executable's handling of bad options: a clear message on stderr naming the
/// option and its allowed range, and a non-zero exit status.
///
/// The test runs the binary built next to the test bundle (`swift build` / `swift test` build
/// every product into the same directory; scripts/test.sh builds release first). If no binary
/// is found the test is skipped with a message saying so, rather than silently passing.
@Suite struct CLITests {
    /// The `crossbar` executable of this build, if one exists.
    static let binary: URL? = {
        var candidates: [URL] = []
        // Next to the running test bundle (same build configuration).
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("crossbar"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("crossbar"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("crossbar"))
        // The package's build directory, found from this source file.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["release", "debug"] {
            candidates.append(root.appendingPathComponent(".build/\(config)/crossbar"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String]) throws -> Result {
        let p = Process()
        p.executableURL = binary!
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes to the end before waiting (the messages are short).
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

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
