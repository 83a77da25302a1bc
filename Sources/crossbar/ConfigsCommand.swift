import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar configs`: the named tile configurations (docs/algorithms.md §6) and their resolved JSON.
struct ConfigsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configs",
        abstract: "List the named tile configurations or print one as JSON.",
        discussion: """
            `crossbar configs` lists every configuration name with its algorithm and device. \
            `crossbar configs show NAME` prints the full resolved JSON of a configuration (every field, \
            snake_case); save it, edit it, and pass the file wherever a configuration is accepted \
            (`--config FILE.json`): it loads back unchanged. `show FILE.json` prints a file's resolved form. \
            `crossbar configs ranges` prints the allowed range and unit of every numeric device, IO \
            and update field as a markdown table (the same table as docs/parameters.md).
            """,
        subcommands: [List.self, Show.self, Ranges.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the configuration names.")

        func run() throws {
            try reportingErrors {
                let rows = try ConfigurationPresets.names.map { try ConfigurationPresets.summary($0) }
                let width = rows.map(\.name.count).max() ?? 4
                let algWidth = rows.map(\.algorithm.rawValue.count).max() ?? 9
                func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(n - s.count, 0)) }
                print(pad("NAME", width) + "  " + pad("ALGORITHM", algWidth) + "  " + "DEVICE")
                for r in rows {
                    let device = r.devicePreset.map { "\($0) (\(r.deviceModel.rawValue))" } ?? r.deviceModel.rawValue
                    print(pad(r.name, width) + "  " + pad(r.algorithm.rawValue, algWidth) + "  " + device)
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the full resolved JSON of a configuration (a name or a JSON file).")

        @Argument(help: "A configuration name (see `crossbar configs`) or a configuration JSON file.") var name: String

        func run() throws {
            try reportingErrors {
                print(try resolveConfiguration(name).toJSON())
            }
        }
    }

    struct Ranges: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ranges",
            abstract: "Print the allowed range and unit of every numeric device, IO and update field (markdown).")

        func run() throws {
            print(ParameterRangeTable.markdown, terminator: "")
        }
    }
}
