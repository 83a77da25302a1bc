#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CrossbarFoundation

/// Reading results files (JSON lines, one ``SweepRecord`` per line).
public enum SweepResultsFile {
    /// The records of a results file, and the number of bytes of a torn final line (a line
    /// without its newline, as left by a process killed while writing). A missing file has no
    /// records. A malformed complete line is an error naming the file and line.
    public static func read(_ path: String) throws -> (records: [SweepRecord], tornBytes: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CrossbarError.file(path: path, reason: "cannot read the results file")
        }
        return try parse(data, path: path)
    }

    /// Parses results-file bytes (see ``read(_:)``).
    public static func parse(_ data: Data, path: String) throws -> (records: [SweepRecord], tornBytes: Int) {
        let bytes = [UInt8](data)
        let end = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        var records: [SweepRecord] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < end {
            lineNumber += 1
            let newline = bytes[lineStart..<end].firstIndex(of: UInt8(ascii: "\n"))!
            let line = bytes[lineStart..<newline]
            lineStart = newline + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                let json = try JSONValue.parse(Data(line), what: "record")
                records.append(try SweepRecord(json: json))
            } catch let e as CrossbarError {
                throw CrossbarError.file(path: path, reason: "line \(lineNumber) is not a valid result record: \(e.description)")
            }
        }
        return (records, bytes.count - end)
    }
}

/// Appends records to a results file: one complete line per `write`, flushed to disk (`fsync`)
/// before ``append(_:)`` returns, under a lock so that concurrent jobs never interleave lines.
///
/// Opening takes an exclusive advisory lock (`flock`) on the file for the appender's lifetime,
/// so two sweeps can never write into the same file at once; and it removes a torn final line.
final class SweepResultsAppender: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    /// Bytes of a torn final line removed when the file was opened.
    let repairedBytes: Int
    /// The records already in the file.
    let existing: [SweepRecord]

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CrossbarError.file(path: path, reason: "cannot open the results file: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EWOULDBLOCK {
                _ = systemClose(fd)
                throw CrossbarError.file(path: path, reason: "another sweep is writing this results file (it is locked); wait for it or use another --out")
            }
            // Filesystems without flock support: go on without the lock.
        }
        do {
            let data = try Self.readAll(fd, path: path)
            let (records, torn) = try SweepResultsFile.parse(data, path: path)
            if torn > 0 {
                guard ftruncate(fd, off_t(data.count - torn)) == 0, fsync(fd) == 0 else {
                    throw CrossbarError.file(path: path, reason: "cannot remove the torn last line: \(String(cString: strerror(errno)))")
                }
            }
            existing = records
            repairedBytes = torn
        } catch {
            _ = systemClose(fd)
            throw error
        }
    }

    private var closed = false

    /// Releases the lock and closes the file now (idempotent). Runs call it before returning, so
    /// the lock never outlives the run even while worker closures still hold the appender.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        _ = flock(fd, LOCK_UN)
        _ = systemClose(fd)
    }

    deinit { close() }

    /// Appends `record` as one line and flushes it to disk.
    func append(_ record: SweepRecord) throws {
        let bytes = Array(record.line.utf8)
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw CrossbarError.file(path: path, reason: "the results file was already closed") }
        let code = bytes.withUnsafeBytes { posixWriteAll(fd, $0) }
        guard code == 0 else { throw CrossbarError.file(path: path, reason: "cannot append a record: \(String(cString: strerror(code)))") }
        guard fsync(fd) == 0 else { throw CrossbarError.file(path: path, reason: "cannot flush a record to disk: \(String(cString: strerror(errno)))") }
    }

    private static func readAll(_ fd: Int32, path: String) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CrossbarError.file(path: path, reason: "cannot read the results file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return data }
            data.append(contentsOf: buffer[0..<n])
            offset += off_t(n)
        }
    }
}

/// The C library's close(2) (the appender's own `close()` shadows it inside the class).
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
