import Foundation

extension OutputGuard {
    /// Throws when an output would destroy an input or another output (see ``OutputGuard``):
    /// the first such pair, in declaration order, is named. Reads nothing but file metadata.
    public func checkConflicts() throws {
        let resolved = declarations.map { ($0, ResolvedPath($0.path)) }
        for (k, (output, out)) in resolved.enumerated() where output.role.isOutput {
            guard !output.path.isEmpty else {
                throw CrossbarError.invalidParameter(field: output.label, value: "''", allowed: "a path")
            }
            for (other, path) in resolved[..<k] + resolved[(k + 1)...] where !other.role.isOutput {
                if let reason = Self.conflict(output, out, withInput: other, path) {
                    throw CrossbarError.file(path: output.path, reason: reason + " (allowed: a path that is none of the command's inputs)")
                }
            }
            for (other, path) in resolved[..<k] where other.role.isOutput {
                if let reason = Self.conflict(output, out, withOutput: other, path) {
                    throw CrossbarError.file(path: output.path, reason: reason + " (allowed: a different path for each output)")
                }
            }
        }
    }

    /// Why `output` (at `out`) would destroy `input` (at `path`), or nil.
    static func conflict(_ output: Declaration, _ out: ResolvedPath, withInput input: Declaration, _ path: ResolvedPath) -> String? {
        let what = input.role.isFolder ? "input folder" : "input"
        let name = "\(output.label) \(output.path)"
        if out.isSame(as: path) {
            if case let .writesFile(inPlaceOf) = output.role, inPlaceOf.contains(input.label), !input.role.isFolder { return nil }
            return input.role.isFolder ? "\(name) is the \(what) \(input.label) \(input.path)"
                : "\(name) is the same file as the \(what) \(input.label) \(input.path)"
        }
        if out.entry(in: path) != nil {
            return "\(name) lies inside the \(what) \(input.label) \(input.path)"
        }
        if case let .writesFolder(entries) = output.role, let entry = path.entry(in: out), entries.contains(entry) {
            return "\(name) would write over the \(what) \(input.label) \(input.path) (it writes \(entries.description) there)"
        }
        return nil
    }

    /// Why `output` (at `out`) and the output `earlier` (at `path`) would write the same file, or nil.
    static func conflict(_ output: Declaration, _ out: ResolvedPath, withOutput earlier: Declaration, _ path: ResolvedPath) -> String? {
        let name = "\(output.label) \(output.path)"
        let other = "the output \(earlier.label) \(earlier.path)"
        if out.isSame(as: path) { return "\(name) is the same file as \(other)" }
        if case let .writesFolder(entries) = earlier.role, let entry = out.entry(in: path), entries.contains(entry) {
            return "\(name) lies where \(other) writes (\(entries.description))"
        }
        if case let .writesFolder(entries) = output.role, let entry = path.entry(in: out), entries.contains(entry) {
            return "\(name) would write over \(other) (it writes \(entries.description) there)"
        }
        return nil
    }
}

extension OutputGuard.Role {
    var isFolder: Bool {
        switch self {
        case .readsFolder, .writesFolder: true
        case .readsFile, .writesFile, .appendsTo: false
        }
    }
}
