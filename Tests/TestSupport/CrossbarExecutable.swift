import Foundation

/// The `crossbar` executable of this build, and running it to completion — shared by every
/// test target that drives the CLI. `swift build` / `swift test` put every product into the
/// same directory as the test bundle (scripts/test.sh builds release first); tests that need
/// the executable are skipped with a message when ``url`` is nil, never silently passed.
public enum CrossbarExecutable {
    /// The executable: next to the running test bundle, else in the package's .build/release
    /// or .build/debug (found from this source file); nil if there is none.
    public static let url: URL? = {
        var candidates: [URL] = []
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // Inside an .xctest bundle on some platforms the executable sits deeper.
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("crossbar"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("crossbar"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("crossbar"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["release", "debug"] { candidates.append(root.appendingPathComponent(".build/\(config)/crossbar")) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// ``url`` as a path.
    public static var path: String? { url?.path }

    /// Exit status and the whole standard output and error of a run.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` (default: ``url``) with `arguments` to completion. Standard error is
    /// drained on another thread, so a process that writes much to both streams cannot block.
    public static func run(_ arguments: [String], executable: URL? = nil) throws -> Result {
        guard let exe = executable ?? url else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the crossbar executable is not built"])
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        nonisolated(unsafe) var e = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            e = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
