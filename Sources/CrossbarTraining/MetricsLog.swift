#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CrossbarFoundation

/// A JSON Lines metrics file: one ``EpochRecord`` per line, appended and flushed to disk
/// (`fsync`) as each epoch completes, so a killed run keeps every completed epoch.
///
/// Existing content is never destroyed: a new run appends after it (the `run` field tells runs
/// apart). On resume, ``discardLines(ofRun:after:)`` removes the lines of the same run for
/// epochs after the checkpoint (written after the checkpoint by the interrupted process and
/// trained again now) and a torn last line (a kill while writing), rewriting the file atomically.
public struct MetricsLog: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Checks that the file can be created or appended to (call it before training starts, so
    /// a wrong path does not cost an epoch). Creates nothing: a run that fails before its first
    /// epoch leaves no empty metrics file behind.
    public func checkWritable() throws {
        try AtomicFile.checkAppendable(path)
    }

    /// Appends `record` as one line and flushes it to disk.
    public func append(_ record: EpochRecord) throws {
        try append(line: record.jsonLine)
    }

    /// Appends one JSON line (without its newline) and flushes it to disk.
    public func append(line text: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CrossbarError.file(path: path, reason: "cannot open the metrics file for appending: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let line = Data((text + "\n").utf8)
        let code = line.withUnsafeBytes { posixWriteAll(fd, $0) }
        guard code == 0, fsync(fd) == 0 else {
            throw CrossbarError.file(path: path, reason: "cannot write the metrics line: \(String(cString: strerror(code != 0 ? code : errno)))")
        }
    }

    /// Removes the lines of run `fingerprint` with epoch > `epoch`, and an unterminated last
    /// line; other lines stay byte for byte. Returns the number of lines removed (the file is
    /// rewritten atomically only when that is > 0).
    @discardableResult
    public func discardLines(ofRun fingerprint: String, after epoch: Int) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return 0 }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        var removed = 0
        if let last = lines.last {
            // Text after the last newline is a torn line (or nothing).
            if !last.isEmpty { removed += 1 }
            lines.removeLast()
        }
        let kept = lines.filter { line in
            guard let v = try? JSONValue.parse(line), v["run"]?.stringValue == fingerprint,
                  let e = v["epoch"]?.intValue, e > epoch else { return true }
            removed += 1
            return false
        }
        if removed > 0 {
            try AtomicFile.write(kept.map { $0 + "\n" }.joined(), to: path)
        }
        return removed
    }

    /// The records of the file that parse as ``EpochRecord`` (other lines are skipped).
    public func records() throws -> [EpochRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CrossbarError.file(path: path, reason: "cannot be read")
        }
        return Self.records(in: data)
    }

    /// The records of metrics-file bytes that parse as ``EpochRecord`` (other lines are skipped).
    public static func records(in data: Data) -> [EpochRecord] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONCoding.decode(EpochRecord.self, from: Data($0.utf8))
        }
    }
}
