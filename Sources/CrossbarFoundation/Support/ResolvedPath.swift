#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A path as the file system sees it, so that two spellings of one file compare equal.
///
/// Resolution: a relative path is taken relative to the current directory; the longest part of
/// the path that exists is resolved with `realpath(3)` (every symbolic link followed, `.` and
/// `..` applied the way the kernel applies them); the components after it (which do not exist
/// yet) are appended with `.` dropped and `..` removing the component before it. So
/// `./a/../c.json`, `c.json` and a symbolic link to `c.json` resolve to the same ``path``, and
/// a file that does not exist yet resolves through its (resolved) parent folder.
///
/// An existing path also carries its device and inode numbers (``identity``), so that hard links
/// to one file and paths through bind mounts count as the same file.
public struct ResolvedPath: Sendable, CustomStringConvertible {
    /// The device and inode numbers of an existing file or folder.
    public struct Identity: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// The path as it was given.
    public let given: String
    /// The absolute, resolved path (no symbolic links in its existing part, no `.` or `..`).
    public let path: String
    /// Device and inode of the file or folder at ``path``; nil when nothing exists there.
    public let identity: Identity?

    /// Resolves `given` (relative paths against `currentDirectory`, default the process's
    /// current directory). Never throws: whatever does not exist is resolved lexically.
    public init(_ given: String, currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.given = given
        let absolute = given.hasPrefix("/") ? given : currentDirectory + "/" + given
        let components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // The longest prefix that exists, resolved by the kernel; "/" always resolves.
        var existing = 0
        var base: [String] = []
        for count in stride(from: components.count, through: 0, by: -1) {
            if let real = Self.realPath("/" + components.prefix(count).joined(separator: "/")) {
                existing = count
                base = real.split(separator: "/").map(String.init)
                break
            }
        }
        for c in components.dropFirst(existing) {
            switch c {
            case ".": continue
            case "..": if !base.isEmpty { base.removeLast() }
            default: base.append(c)
            }
        }
        path = "/" + base.joined(separator: "/")
        identity = Self.identity(of: path)
    }

    /// True when both name the same file or folder: the same device and inode when both exist,
    /// otherwise the same resolved path.
    public func isSame(as other: ResolvedPath) -> Bool {
        if let a = identity, let b = other.identity { return a == b }
        return path == other.path
    }

    /// The name of the entry of `folder` that holds this path, when this path lies strictly
    /// inside `folder` (at any depth): `a/b/c` inside `a` → `b`. Nil when it is `folder` itself
    /// or outside it. Ancestors are compared by device and inode where they exist.
    public func entry(in folder: ResolvedPath) -> String? {
        var parts = path.split(separator: "/").map(String.init)
        while !parts.isEmpty {
            let name = parts.removeLast()
            let ancestor = ResolvedPath.resolved("/" + parts.joined(separator: "/"))
            if ancestor.isSame(as: folder) { return name }
        }
        return nil
    }

    /// True when this path is `folder` or lies inside it.
    public func isWithin(_ folder: ResolvedPath) -> Bool {
        isSame(as: folder) || entry(in: folder) != nil
    }

    public var description: String { given }

    /// An already absolute, resolved path with its identity (no resolution again).
    private static func resolved(_ path: String) -> ResolvedPath {
        ResolvedPath(given: path, path: path, identity: identity(of: path))
    }

    private init(given: String, path: String, identity: Identity?) {
        self.given = given
        self.path = path
        self.identity = identity
    }

    /// `realpath(3)` of `path`, or nil when any part of it does not exist (or cannot be read).
    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Device and inode of `path` (following symbolic links), or nil.
    private static func identity(of path: String) -> Identity? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return Identity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino))
    }
}
