#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Checks that an output location can be written, made before long work whose result goes
/// there, so that a wrong location fails at once. None of them changes anything visible: a
/// probe file is created and removed at once, nothing else is created.
extension AtomicFile {
    /// Checks that `write(_:to:)` to `path` can succeed: its folder exists and accepts new
    /// files, and `path` is not a folder.
    public static func checkWritable(_ path: String) throws {
        let (dir, _) = try existingFolder(of: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CrossbarError.file(path: path, reason: "is a directory, not a file")
        }
        try probe(folder: dir, for: path)
    }

    /// Checks that `path` can be appended to: an existing file opens for appending; a missing
    /// one can be created (as ``checkWritable(_:)`` checks).
    public static func checkAppendable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            try checkWritable(path)
            return
        }
        if isDirectory.boolValue { throw CrossbarError.file(path: path, reason: "is a directory, not a file") }
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else {
            throw CrossbarError.file(path: path, reason: "cannot be opened for appending: \(errorText())")
        }
        close(fd)
    }

    /// Checks that files can be written into the folder `path`: it is a folder that accepts
    /// new files, or it does not exist yet and its nearest existing ancestor is a folder that
    /// accepts new files (the missing folders are created by whoever writes there).
    public static func checkFolderWritable(_ path: String) throws {
        guard !path.isEmpty else { throw CrossbarError.file(path: path, reason: "not a folder name") }
        var isDirectory: ObjCBool = false
        var folder = path
        while !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            let parent = PathText.folder(of: folder)
            let next = parent.isEmpty ? "." : parent
            guard next != folder else { throw CrossbarError.file(path: path, reason: "no folder above it exists") }
            folder = next
        }
        guard isDirectory.boolValue else {
            let reason = folder == path ? "is a file, not a folder" : "'\(folder)' is a file, not a folder"
            throw CrossbarError.file(path: path, reason: reason)
        }
        try probe(folder: folder, for: path)
    }

    /// Creates and removes a temporary file in `folder`; the error names `path`.
    static func probe(folder: String, for path: String) throws {
        let name = PathText.name(of: path)
        var template = Array("\(folder)/.\(name.isEmpty ? "probe" : name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CrossbarError.file(path: path, reason: "cannot create files in '\(folder)': \(errorText())") }
        close(fd)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }
}
