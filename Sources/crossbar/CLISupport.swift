import ArgumentParser
import CrossbarKit
import Foundation

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`; a ``CrossbarError`` is printed on standard error and turns into exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as CrossbarError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    }
}

/// Decodes a JSON file into a record, with errors that name the file.
func loadJSON<T: Decodable>(_ type: T.Type, path: String, what: String) throws -> T {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CrossbarError.file(path: path, reason: "cannot be read (missing or not a file)")
    }
    do {
        return try JSONCoding.decode(type, from: data, what: "\(what) \(path)")
    } catch let e as CrossbarError {
        if case .message = e { throw e }
        throw CrossbarError.message("\(path): \(e.description)")
    }
}

/// The file a "preset name or JSON file" option reads (nil when it names a preset): a value
/// ending in `.json` or naming an existing file is a file.
func presetFile(_ nameOrFile: String) -> String? {
    nameOrFile.hasSuffix(".json") || FileManager.default.fileExists(atPath: nameOrFile) ? nameOrFile : nil
}

/// A configuration given as a preset name or a JSON file.
func resolveConfiguration(_ nameOrFile: String) throws -> TileConfiguration {
    if presetFile(nameOrFile) != nil {
        return try loadJSON(TileConfiguration.self, path: nameOrFile, what: "configuration")
    }
    return try ConfigurationPresets.configuration(nameOrFile)
}

/// A device given as a preset name or a JSON file.
func resolveDevice(_ nameOrFile: String) throws -> DeviceConfig {
    if presetFile(nameOrFile) != nil {
        return try loadJSON(DeviceConfig.self, path: nameOrFile, what: "device")
    }
    return try DevicePresets.device(nameOrFile)
}
