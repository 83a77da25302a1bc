/// The folder and the name of a path, taken from its text (no file system access), as
/// `NSString.deletingLastPathComponent` and `lastPathComponent` take them: trailing slashes are
/// ignored, `a/b/c` → (`a/b`, `c`), `c` → (``, `c`), `/c` → (`/`, `c`), `/` → (`/`, ``).
///
/// Those `NSString` methods are not used because swift-corelibs-foundation crashes on
/// one-character paths (`"x"`).
package enum PathText {
    /// The folder part: `""` for a bare name (the current folder).
    package static func folder(of path: String) -> String {
        split(path).folder
    }

    /// The last component (`""` for `/` and the empty path).
    package static func name(of path: String) -> String {
        split(path).name
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return ("/", "") }
        guard let slash = p.lastIndex(of: "/") else { return ("", String(p)) }
        let name = String(p[p.index(after: slash)...])
        var folder = p[..<slash]
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        return (folder.isEmpty ? "/" : String(folder), name)
    }
}
