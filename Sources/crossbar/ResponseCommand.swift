import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar response`: the pulse-response curve of a device population (docs/devices.md, "Response curves").
struct ResponseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "response",
        abstract: "Apply N up then N down pulses to a population of devices and record mean ± std of the weight.",
        discussion: """
            Every device (each with its own device-to-device draws) starts at weight 0 (clipped to its \
            bounds) and receives exactly one pulse per step: --pulses up pulses, then --pulses down \
            pulses, with cycle-to-cycle noise. After every pulse the mean and standard deviation of the \
            read-visible weights (write noise included) over the population are recorded. \
            The CSV has the columns step,direction,mean,std (one row per pulse). With --out the CSV goes \
            to that file and a summary to standard output; without --out the CSV goes to standard output \
            and the summary to standard error. Example: \
            crossbar response --device ReRamSB --pulses 1000 --devices 1000 --seed 1 --out rr.csv --plot rr.svg
            """
    )

    @Option(help: "A preset name (see `crossbar devices`) or a device JSON file.") var device: String
    @Option(help: "Number of up pulses (and of down pulses), 1…10⁷.") var pulses: Int = 1000
    @Option(help: "Number of devices in the population, 1…10⁷.") var devices: Int = 1000
    @Option(parsing: .unconditional,
            help: "Master seed, an integer in 0…2⁶⁴ − 1 (device-to-device draws unless the device sets construction_seed; pulse and write noise).")
    var seed = SeedArgument(1)
    @Option(help: "Write the CSV to this file (atomically).") var out: String?
    @Option(help: "Write an SVG plot of mean ± std to this file.") var plot: String?

    /// Every file the command reads and writes.
    func files() -> OutputGuard {
        var files = OutputGuard()
        files.readsFile("--device", presetFile(device))
        files.writesFile("--out", out)
        files.writesFile("--plot", plot)
        return files
    }

    func run() throws {
        try reportingErrors {
            try files().check()
            let config = try resolveDevice(device)
            let response: PulseResponse
            do {
                response = try PulseResponse(device: config, pulses: pulses, devices: devices, seed: try seed.value())
            } catch let e as CrossbarError {
                if case let .invalidParameter(field, value, allowed) = e, field == "pulses" || field == "devices" {
                    throw CrossbarError.invalidParameter(field: "--\(field)", value: value, allowed: allowed)
                }
                throw e
            }
            let name = PathText.name(of: device)
            let summary = response.summary(name: name)
            if let out {
                try AtomicFile.write(response.csv(), to: out)
            }
            if let plot {
                try response.figure(title: "Pulse response of \(name) (\(devices) devices, seed \(seed))").write(to: plot)
            }
            if out != nil {
                print(summary)
                print("wrote \(out!)" + (plot.map { " and \($0)" } ?? ""))
            } else {
                print(response.csv(), terminator: "")
                printError(summary)
                if let plot { printError("wrote \(plot)") }
            }
        }
    }
}
