import Foundation

/// The files and folders a command reads and writes, declared in one place, and the check,
/// made before any work, that no output can destroy an input.
///
/// A command lists every path it was given with its role — a file or folder it reads, a file
/// it replaces or appends to, a folder it writes entries into — then calls ``check()`` before
/// it loads, trains or writes anything. Paths are compared as ``ResolvedPath``s: symbolic links
/// followed, relative paths and `..` normalised, files that do not exist yet resolved through
/// their parent folder, existing files by device and inode (so hard links count as one file).
///
/// Guarantees when ``check()`` returns:
/// - no output is the same file as an input, unless the output was declared as that input's
///   in-place successor (`inPlaceOf`, e.g. a checkpoint that resumes and keeps checkpointing
///   one file);
/// - no output is, or lies inside, a folder that is read (a data folder);
/// - no output folder holds an input (or an input folder) at an entry the command writes there;
/// - no two outputs are the same file, and no output lies where an output folder writes;
/// - every output location is writable now: a file's folder exists and accepts new files and
///   the file is not a folder (an appended file can be opened for appending); an output
///   folder is a folder that accepts new files, or can be created.
///
/// Otherwise it throws a ``CrossbarError/file(path:reason:)`` naming the output, both flags
/// and both paths, and nothing has changed. Existing outputs are not an error: they are
/// replaced (atomically) or appended to, which is how resumable commands continue.
public struct OutputGuard: Sendable {
    /// The entries a command writes into an output folder (top-level names in that folder).
    public struct FolderEntries: Sendable {
        /// What the entries are, for messages (e.g. "report.md, report.csv and *.svg").
        public let description: String
        private let predicate: @Sendable (String) -> Bool

        /// Entries whose names satisfy `predicate`.
        public init(_ description: String, matching predicate: @escaping @Sendable (String) -> Bool) {
            self.description = description
            self.predicate = predicate
        }

        /// Exactly the entries `names`.
        public static func named(_ names: [String]) -> FolderEntries {
            let set = Set(names)
            return FolderEntries(names.joined(separator: ", ")) { set.contains($0) }
        }

        /// Any entry (a folder the command owns entirely, e.g. its work folder).
        public static let anything = FolderEntries("any entry") { _ in true }

        /// True when the command may write the entry `name`.
        public func contains(_ name: String) -> Bool { predicate(name) }
    }

    /// What a command does with a path.
    public enum Role: Sendable {
        /// A file it reads.
        case readsFile
        /// A folder it reads (e.g. a data set): nothing inside it may be written.
        case readsFolder
        /// A file it creates or replaces; it may be the input with one of the labels `inPlaceOf`.
        case writesFile(inPlaceOf: [String])
        /// A file it appends to (created when missing; its content is kept).
        case appendsTo
        /// A folder it writes `entries` into (created with its parents when missing).
        case writesFolder(FolderEntries)

        var isOutput: Bool {
            switch self {
            case .readsFile, .readsFolder: false
            case .writesFile, .appendsTo, .writesFolder: true
            }
        }
    }

    /// One declared path: the flag or argument that gave it (`--config`, `<spec>`), the path as
    /// given, its role.
    public struct Declaration: Sendable {
        public var label: String
        public var path: String
        public var role: Role
    }

    /// Everything declared, in order.
    public private(set) var declarations: [Declaration] = []

    public init() {}

    /// Declares a file the command reads (nil: the option was not given).
    public mutating func readsFile(_ label: String, _ path: String?) {
        add(label, path, .readsFile)
    }

    /// Declares a folder the command reads; no output may be it or lie inside it.
    public mutating func readsFolder(_ label: String, _ path: String?) {
        add(label, path, .readsFolder)
    }

    /// Declares a file the command creates or replaces. It may be the same file as the inputs
    /// labelled `inPlaceOf` (a file the command legitimately rewrites in place).
    public mutating func writesFile(_ label: String, _ path: String?, inPlaceOf: [String] = []) {
        add(label, path, .writesFile(inPlaceOf: inPlaceOf))
    }

    /// Declares a file the command appends to.
    public mutating func appendsTo(_ label: String, _ path: String?) {
        add(label, path, .appendsTo)
    }

    /// Declares a folder the command writes `entries` into.
    public mutating func writesFolder(_ label: String, _ path: String?, entries: FolderEntries) {
        add(label, path, .writesFolder(entries))
    }

    /// Records a declaration. An empty input path names no file and is left to the command's
    /// own validation; an empty output path is kept (``checkConflicts()`` refuses it).
    private mutating func add(_ label: String, _ path: String?, _ role: Role) {
        guard let path, !path.isEmpty || role.isOutput else { return }
        declarations.append(Declaration(label: label, path: path, role: role))
    }

    /// ``checkConflicts()``, then ``checkLocations()``: call it before any work.
    public func check() throws {
        try checkConflicts()
        try checkLocations()
    }
}
