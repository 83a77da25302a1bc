import Foundation
import CrossbarFoundation

extension CharacterCorpus {
    /// Where the Debian package `fortunes` (installed by scripts/setup.sh) keeps its English
    /// fortune-cookie texts (about 2.6 MB of UTF-8 together).
    public static let fortunesFolder = "/usr/share/games/fortunes"

    /// The default corpus's files: every entry of `folder` whose name does not end in `.dat`
    /// (the index files) or `.u8` (links to the plain file), sorted by the bytes of the name,
    /// symbolic links followed, directories skipped, and a file reached twice through links
    /// kept once (at its first name).
    public static func fortuneFiles(in folder: String = fortunesFolder) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw CrossbarError.file(path: folder, reason: "cannot be listed (install the Debian package 'fortunes', e.g. with scripts/setup.sh, or pass --data FILE.txt)")
        }
        var seen: Set<String> = []
        var files: [String] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        where !name.hasSuffix(".dat") && !name.hasSuffix(".u8") && !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let real = realpath(path, nil) else { continue }   // a dangling link
            let resolved = String(cString: real)
            free(real)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue,
                  seen.insert(resolved).inserted else { continue }
            files.append(path)
        }
        guard !files.isEmpty else {
            throw CrossbarError.file(path: folder, reason: "holds no fortune text files (install the Debian package 'fortunes', or pass --data FILE.txt)")
        }
        return files
    }

    /// The default corpus: the ``fortuneFiles(in:)`` concatenated in that order (each file's
    /// UTF-8 text as it is, no separator), split like any text. Named "fortunes".
    public static func fortunes(folder: String = fortunesFolder, split: Split = .standard) throws -> CharacterCorpus {
        var scalars: [Unicode.Scalar] = []
        for file in try fortuneFiles(in: folder) { scalars += try readText(file) }
        return try CharacterCorpus(scalars: scalars, name: "fortunes", split: split, source: folder)
    }
}
