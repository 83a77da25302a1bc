import CLibFuzzer
import CrossbarKit
import Foundation

/// One fuzz input through ``FuzzEntryPoints/run(_:_:)``: returns normally when the reader
/// accepts the input or refuses it with a `CrossbarError`; any other error is a finding and
/// traps, so that libFuzzer keeps the input as a crash.
public func fuzzOne(_ target: String, _ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        try FuzzEntryPoints.run(target, data)
    } catch is CrossbarError {
    } catch {
        fatalError("fuzz-\(target): an error that is not a CrossbarError: \(type(of: error)): \(error)")
    }
    return 0
}

/// The `main` of a fuzz executable: libFuzzer's driver with the process arguments.
///
/// SwiftPM renames an executable's `main` (for its test discovery), so libFuzzer's own
/// `main` is not linked; the executable's top-level code calls this instead.
/// `--write-checkpoint-seed FILE` writes the checkpoint target's seed and exits.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    let arguments = CommandLine.arguments
    if arguments.count == 3, arguments[1] == "--write-checkpoint-seed" {
        do {
            try FuzzEntryPoints.checkpointSeed().write(to: URL(fileURLWithPath: arguments[2]))
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}
