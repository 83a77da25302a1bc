import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar fit`: a device model fitted to a measured pulse-response trace.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a device model to a measured up/down pulse-response trace (linear least squares).",
        discussion: """
            --data is a CSV with the columns pulse,direction,conductance (a header line is accepted): \
            the pulse number (strictly increasing), the direction of the pulse applied before the reading \
            (up, down or none; also +1, -1, 0) and the conductance read after it. The first row is the \
            starting state. The per-pulse change is linear in the model's parameters given the state \
            before the pulse, so each direction is one least-squares problem (LAPACK dgels); \
            dw_min_std is estimated from the residuals (multiplicative noise). Prints the fitted device \
            JSON and the residual RMS. docs/devices.md describes the method. Example: \
            crossbar fit --data measured.csv --model soft_bounds --out fitted.json --plot fit.svg
            """
    )

    @Option(help: "The measured trace (CSV: pulse,direction,conductance).") var data: String
    @Option(help: "Model to fit.") var model: FitModel
    @Option(help: "Number of nodes of piecewise_step (2…64).") var nodes: Int = 9
    @Flag(help: "Map the conductances linearly so that the fitted bounds become [−1, 1] (needed when the bounds do not enclose 0).")
    var normalize = false
    @Option(help: "Write the fitted device JSON to this file (atomically).") var out: String?
    @Option(help: "Write an SVG plot of measured vs fitted (noise-free simulation) to this file.") var plot: String?

    /// Every file the command reads and writes.
    func files() -> OutputGuard {
        var files = OutputGuard()
        files.readsFile("--data", data)
        files.writesFile("--out", out)
        files.writesFile("--plot", plot)
        return files
    }

    func run() throws {
        try reportingErrors {
            try files().check()
            let fitModel: FitModel
            fitModel = model
            let trace = try PulseTrace.load(path: data)
            let fit: DeviceFit
            do {
                fit = try DeviceFit.fit(trace, model: fitModel, nodes: nodes, normalize: normalize)
            } catch let e as CrossbarError {
                if case let .invalidParameter(field, value, allowed) = e {
                    let f = field == "nodes" ? "--nodes" : "\(data)"
                    throw CrossbarError.invalidParameter(field: f, value: value, allowed: allowed)
                }
                throw e
            }
            let json = fit.config.toJSON()
            print(json)
            print(String(format: "residual RMS per pulse: %.6g (%d pulses; units of the %@)", fit.residualRMS, fit.pulsesUsed,
                         normalize ? "normalised weight" : "conductance"))
            print(String(format: "RMS of measured − fitted (noise-free) trace: %.6g (conductance units)", fit.traceRMS(trace)))
            if normalize {
                print(String(format: "normalisation: w = (G − %.9g) / %.9g", fit.center, fit.scale))
            }
            if let out { try AtomicFile.write(json + "\n", to: out) }
            if let plot {
                try fit.figure(trace, title: "\(fitModel.rawValue) fit of \(PathText.name(of: data))").write(to: plot)
            }
        }
    }
}
