#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes whole files atomically: the bytes go to a temporary file in the same directory, which
/// is flushed to disk (`fsync`) and then renamed over the destination. A reader (or a crash)
/// sees either the old file or the complete new one, never a half-written file.
///
/// Every output file of CrossbarKit (results, reports, plots, checkpoints) is written this way.
/// Errors are ``CrossbarError/file(path:reason:)`` naming the destination.
public enum AtomicFile {
    /// The folder (`.` for a bare name) and the file name of `path`; throws naming `path` when
    /// the name is empty or the folder does not exist.
    static func existingFolder(of path: String) throws -> (folder: String, name: String) {
        let directory = PathText.folder(of: path)
        let name = PathText.name(of: path)
        guard !name.isEmpty else { throw CrossbarError.file(path: path, reason: "not a file name") }
        let dir = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CrossbarError.file(path: path, reason: "directory '\(dir)' does not exist")
        }
        return (dir, name)
    }

    /// Writes `data` to `path` atomically (creating or replacing it; permissions 0644 before umask).
    public static func write(_ data: Data, to path: String) throws {
        let (dir, name) = try existingFolder(of: path)
        var template = Array("\(dir)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CrossbarError.file(path: path, reason: "cannot create a temporary file: \(errorText())") }
        let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            try writeAll(fd, data, path: path)
            guard fchmod(fd, 0o644) == 0, fsync(fd) == 0 else {
                throw CrossbarError.file(path: path, reason: "cannot flush the temporary file: \(errorText())")
            }
        }
        guard rename(tempPath, path) == 0 else {
            throw CrossbarError.file(path: path, reason: "cannot replace the file: \(errorText())")
        }
        ok = true
        syncDirectory(dir)
    }

    /// Writes `string` as UTF-8 to `path` atomically.
    public static func write(_ string: String, to path: String) throws {
        try write(Data(string.utf8), to: path)
    }

    /// Writes every byte of `data` to `fd` (retrying short writes and EINTR).
    static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        let code = data.withUnsafeBytes { posixWriteAll(fd, $0) }
        if code != 0 {
            throw CrossbarError.file(path: path, reason: "write failed: \(String(cString: strerror(code)))")
        }
    }

    /// Flushes a directory entry (so a rename survives a power loss); failures are ignored.
    static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}

/// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`. Returns 0 or the `errno`.
package func posixWriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    guard var p = bytes.baseAddress else { return 0 }
    var left = bytes.count
    while left > 0 {
        let n = write(fd, p, left)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        p += n
        left -= n
    }
    return 0
}
