import Foundation
import Testing
@testable import CrossbarFoundation

/// ``ResolvedPath`` (two spellings of one file compare equal), ``PathText`` and the rules of
/// ``OutputGuard`` (no output destroys an input; output locations checked up front).
@Suite struct OutputGuardTests {
    /// A fresh folder with `c.json`, a folder `a`, a data folder `data` with one file and a
    /// folder `data2` (whose name starts like `data`).
    struct Fixture {
        let root: String
        init() throws {
            // Resolved once, so that expected paths compare with resolved ones (the temporary
            // folder may itself be reached through a symbolic link).
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("output-guard-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            root = ResolvedPath(base).path
            for folder in ["a", "data", "data2"] {
                try FileManager.default.createDirectory(atPath: file(folder), withIntermediateDirectories: true)
            }
            try Data("{}".utf8).write(to: URL(fileURLWithPath: file("c.json")))
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file("data/t10k-labels-idx1-ubyte")))
        }
        func file(_ name: String) -> String { root + "/" + name }
        func cleanup() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// The message of the error `body` throws ("" when it does not throw).
    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func spellingsOfOneFileResolveToIt() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let c = ResolvedPath(f.file("c.json"))
        #expect(c.path == f.file("c.json") && c.identity != nil)
        // `..` after an existing folder, `.` and doubled slashes.
        for spelling in ["./a/../c.json", "a/../c.json", "./c.json", "a//..//./c.json"] {
            let r = ResolvedPath(spelling, currentDirectory: f.root)
            #expect(r.path == f.file("c.json"), "\(spelling) → \(r.path)")
            #expect(r.isSame(as: c), "\(spelling)")
        }
        // `..` after a folder that does not exist is applied to the text.
        #expect(ResolvedPath("missing/../c.json", currentDirectory: f.root).isSame(as: c))
        // A symbolic link to the file, and a relative link to a link.
        try FileManager.default.createSymbolicLink(atPath: f.file("link.json"), withDestinationPath: f.file("c.json"))
        try FileManager.default.createSymbolicLink(atPath: f.file("a/again.json"), withDestinationPath: "../link.json")
        #expect(ResolvedPath(f.file("link.json")).path == f.file("c.json"))
        #expect(ResolvedPath(f.file("a/again.json")).isSame(as: c))
        // A hard link: another path, the same file (device and inode).
        try FileManager.default.linkItem(atPath: f.file("c.json"), toPath: f.file("a/hard.json"))
        let hard = ResolvedPath(f.file("a/hard.json"))
        #expect(hard.path != c.path && hard.isSame(as: c))
        // Different files are different.
        #expect(!ResolvedPath(f.file("a")).isSame(as: c))
        #expect(!ResolvedPath(f.file("new.json")).isSame(as: c))
    }

    @Test func filesThatDoNotExistResolveThroughTheirFolder() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        try FileManager.default.createSymbolicLink(atPath: f.file("alias"), withDestinationPath: f.file("a"))
        let viaLink = ResolvedPath(f.file("alias/new.ckpt"))
        #expect(viaLink.identity == nil)
        #expect(viaLink.path == f.file("a/new.ckpt"))
        #expect(viaLink.isSame(as: ResolvedPath("a/./new.ckpt", currentDirectory: f.root)))
        #expect(ResolvedPath("x/y/../z", currentDirectory: f.root).path == f.file("x/z"))
        #expect(ResolvedPath("/").path == "/")
    }

    @Test func entriesInsideAFolder() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let data = ResolvedPath(f.file("data"))
        #expect(ResolvedPath(f.file("data/t10k-labels-idx1-ubyte")).entry(in: data) == "t10k-labels-idx1-ubyte")
        #expect(ResolvedPath(f.file("data/new/deeper.txt")).entry(in: data) == "new")
        #expect(ResolvedPath("data/../data/x", currentDirectory: f.root).isWithin(data))
        #expect(ResolvedPath(f.file("data")).entry(in: data) == nil)
        #expect(ResolvedPath(f.file("data")).isWithin(data))
        // A sibling whose name starts like the folder is not inside it.
        #expect(ResolvedPath(f.file("data2/x")).entry(in: data) == nil)
        #expect(!ResolvedPath(f.file("data2")).isWithin(data))
        // Through a symbolic link to the folder.
        try FileManager.default.createSymbolicLink(atPath: f.file("d"), withDestinationPath: f.file("data"))
        #expect(ResolvedPath(f.file("d/t10k-labels-idx1-ubyte")).entry(in: data) == "t10k-labels-idx1-ubyte")
        #expect(ResolvedPath(f.file("d/new.jsonl")).entry(in: data) == "new.jsonl")
    }

    @Test func pathText() {
        let cases: [(String, String, String)] = [
            ("a/b/c", "a/b", "c"), ("c", "", "c"), ("x", "", "x"), ("/c", "/", "c"), ("/", "/", ""),
            ("a/b/", "a", "b"), ("a//b", "a", "b"), ("", "", ""), ("./x", ".", "x"),
        ]
        for (path, folder, name) in cases {
            #expect(PathText.folder(of: path) == folder, "\(path)")
            #expect(PathText.name(of: path) == name, "\(path)")
        }
    }

    @Test func anOutputThatIsAnInputIsRefusedNamingBoth() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        var g = OutputGuard()
        g.readsFile("--config", f.file("c.json"))
        g.appendsTo("--metrics", f.file("a/../c.json"))
        let m = message { try g.check() }
        #expect(m.contains("--metrics \(f.file("a/../c.json")) is the same file as the input --config \(f.file("c.json"))"), "\(m)")
        #expect(m.contains("allowed:"), "\(m)")

        // The declared in-place successor is allowed, and only of the named input.
        var resume = OutputGuard()
        resume.readsFile("--resume", f.file("c.json"))
        resume.writesFile("--checkpoint", f.file("./c.json"), inPlaceOf: ["--resume"])
        try resume.check()
        resume.readsFile("--config", f.file("c.json"))
        #expect(message { try resume.check() }.contains("the same file as the input --config"))
    }

    @Test func nothingIsWrittenInsideAnInputFolder() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        for (output, fragment) in [("data/t10k-labels-idx1-ubyte", "lies inside the input folder --data"),
                                   ("data/new.jsonl", "lies inside the input folder --data"),
                                   ("data", "is the input folder --data")] {
            var g = OutputGuard()
            g.readsFolder("--data", f.file("data"))
            g.writesFile("--checkpoint", f.file(output))
            #expect(message { try g.checkConflicts() }.contains(fragment), "\(output)")
        }
        var g = OutputGuard()
        g.readsFolder("--data", f.file("data"))
        g.writesFile("--checkpoint", f.file("data2/c.ckpt"))
        try g.check()
    }

    @Test func outputFoldersAndTheirEntries() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let entries = OutputGuard.FolderEntries("report.md and *.svg") { $0 == "report.md" || $0.hasSuffix(".svg") }
        // An input where the folder writes: refused; elsewhere in the folder: fine.
        var g = OutputGuard()
        g.readsFile("<results>", f.file("a/report.md"))
        g.writesFolder("--out", f.file("a"), entries: entries)
        #expect(message { try g.checkConflicts() }.contains("--out \(f.file("a")) would write over the input <results>"))
        var ok = OutputGuard()
        ok.readsFile("<results>", f.file("a/results.jsonl"))
        ok.writesFolder("--out", f.file("a"), entries: entries)
        try ok.check()
        // A folder output that is an input file, or inside an input folder.
        var same = OutputGuard()
        same.readsFile("<results>", f.file("c.json"))
        same.writesFolder("--out", f.file("c.json"), entries: entries)
        #expect(message { try same.checkConflicts() }.contains("is the same file as the input <results>"))
        var inside = OutputGuard()
        inside.readsFolder("--data", f.file("data"))
        inside.writesFolder("--out", f.file("data/report"), entries: .anything)
        #expect(message { try inside.checkConflicts() }.contains("lies inside the input folder --data"))
        // An output file where an output folder writes.
        var two = OutputGuard()
        two.writesFolder("--out", f.file("a"), entries: entries)
        two.writesFile("--plot", f.file("a/x.svg"))
        #expect(message { try two.checkConflicts() }.contains("--plot \(f.file("a/x.svg")) lies where the output --out"))
    }

    @Test func twoOutputsMayNotBeOneFile() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        var g = OutputGuard()
        g.appendsTo("--metrics", f.file("m.jsonl"))
        g.writesFile("--checkpoint", f.file("a/../m.jsonl"))
        #expect(message { try g.checkConflicts() }.contains("--checkpoint \(f.file("a/../m.jsonl")) is the same file as the output --metrics"))
        // Several inputs may be one file (e.g. merging a file with itself).
        var inputs = OutputGuard()
        inputs.readsFile("<inputs>", f.file("c.json"))
        inputs.readsFile("<inputs>", f.file("c.json"))
        inputs.writesFile("--out", f.file("all.jsonl"))
        try inputs.check()
        var empty = OutputGuard()
        empty.writesFile("--out", "")
        #expect(message { try empty.check() }.contains("'--out'"))
    }

    @Test func outputLocationsAreCheckedAndNothingIsCreated() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let before = try FileManager.default.subpathsOfDirectory(atPath: f.root).sorted()
        let cases: [(OutputGuard.Role, String, String)] = [
            (.writesFile(inPlaceOf: []), "missing/c.ckpt", "the folder of --x does not exist"),
            (.writesFile(inPlaceOf: []), "a", "--x cannot be written: is a directory, not a file"),
            (.appendsTo, "a", "--x cannot be written: is a directory, not a file"),
            (.appendsTo, "missing/m.jsonl", "the folder of --x does not exist"),
            (.writesFolder(.anything), "c.json", "--x cannot be written: is a file, not a folder"),
            (.writesFolder(.anything), "c.json/report", "is a file, not a folder"),
        ]
        for (role, path, fragment) in cases {
            var g = OutputGuard()
            switch role {
            case .writesFile: g.writesFile("--x", f.file(path))
            case .appendsTo: g.appendsTo("--x", f.file(path))
            default: g.writesFolder("--x", f.file(path), entries: .anything)
            }
            #expect(message { try g.check() }.contains(fragment), "\(path): \(message { try g.check() })")
        }
        // A place that accepts no files (even for root).
        if FileManager.default.fileExists(atPath: "/proc/self") {
            var g = OutputGuard()
            g.writesFile("--x", "/proc/c.ckpt")
            #expect(message { try g.check() }.contains("cannot create files in '/proc'"))
            var folder = OutputGuard()
            folder.writesFolder("--x", "/proc/report/deeper", entries: .anything)
            #expect(message { try folder.check() }.contains("cannot create files in '/proc'"))
        }
        // Existing outputs are fine (replaced or appended to), new folders can be created.
        var fine = OutputGuard()
        fine.appendsTo("--metrics", f.file("c.json"))
        fine.writesFile("--out", f.file("a/new.csv"))
        fine.writesFolder("--report", f.file("new/report"), entries: .anything)
        try fine.check()
        #expect(try FileManager.default.subpathsOfDirectory(atPath: f.root).sorted() == before, "the checks create nothing")
    }
}
