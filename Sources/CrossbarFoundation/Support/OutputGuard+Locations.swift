import Foundation

extension OutputGuard {
    /// Throws when an output location cannot be written now (see ``OutputGuard``): a file in a
    /// folder that does not exist, a file that is a folder, a folder that is a file, or a place
    /// that accepts no new files (read-only). Creates nothing (a probe file is removed at once).
    public func checkLocations() throws {
        for d in declarations {
            do {
                switch d.role {
                case .readsFile, .readsFolder:
                    continue
                case .writesFile:
                    try Self.checkFolderExists(of: d)
                    try AtomicFile.checkWritable(d.path)
                case .appendsTo:
                    try Self.checkFolderExists(of: d)
                    try AtomicFile.checkAppendable(d.path)
                case .writesFolder:
                    try AtomicFile.checkFolderWritable(d.path)
                }
            } catch let CrossbarError.file(path, reason) where !reason.hasPrefix("the folder of") {
                let allowed = d.role.isFolder ? "a folder that exists or can be created, in a writable place"
                    : "a file in an existing, writable folder"
                throw CrossbarError.file(path: path, reason: "\(d.label) cannot be written: \(reason) (allowed: \(allowed))")
            }
        }
    }

    /// The folder of an output file exists (the commands create no folders for single files).
    static func checkFolderExists(of d: Declaration) throws {
        let directory = PathText.folder(of: d.path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw CrossbarError.file(path: d.path, reason: "the folder of \(d.label) does not exist (allowed: a file in an existing folder)")
        }
    }
}
