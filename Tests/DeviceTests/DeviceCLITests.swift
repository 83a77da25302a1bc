import CrossbarKit
import Foundation
import Testing
import TestSupport

/// `crossbar devices`, `devices show`, `response` and `fit`, run as the built executable.
/// If no binary is found the tests are skipped with a message (not silently passed).
@Suite struct DeviceCLITests {
    static let binary = CrossbarExecutable.url
    typealias Result = CrossbarExecutable.Result
    static func run(_ arguments: [String]) throws -> Result { try CrossbarExecutable.run(arguments) }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crossbar-devices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let enabled = DeviceCLITests.binary != nil

    @Test(.enabled(if: DeviceCLITests.enabled, "the crossbar executable is not built (run `swift build` first)"))
    func devicesListsEveryPreset() throws {
        let r = try Self.run(["devices"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        for name in DevicePresets.names { #expect(r.stdout.contains(name)) }
        #expect(r.stdout.contains("n_states") && r.stdout.contains("soft_bounds_reference"))
    }

    @Test(.enabled(if: DeviceCLITests.enabled, "the crossbar executable is not built (run `swift build` first)"))
    func devicesShowRoundTrips() throws {
        for name in DevicePresets.names {
            let r = try Self.run(["devices", "show", name])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            let back = try JSONCoding.decode(DeviceConfig.self, from: Data(r.stdout.utf8))
            #expect(back == (try DevicePresets.device(name)), "\(name) decodes back unchanged")
        }
        // A device file resolves to its full JSON (defaults filled in).
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("d.json").path
        try #"{"type": "pow_step", "pow_gamma": 2}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try Self.run(["devices", "show", file])
        var expected = DeviceConfig(model: .powStep)
        expected.powGamma = 2
        #expect(try JSONCoding.decode(DeviceConfig.self, from: Data(r.stdout.utf8)) == expected)
        let bad = try Self.run(["devices", "show", "ReRamXY"])
        #expect(bad.status != 0 && bad.stderr.contains("ReRamXY") && bad.stderr.contains("ReRamSB"), "stderr: \(bad.stderr)")
        try #"{"type": "pow_step", "pow_gama": 2}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let typo = try Self.run(["devices", "show", file])
        #expect(typo.status != 0 && typo.stderr.contains("pow_gama") && typo.stderr.contains(file), "stderr: \(typo.stderr)")
    }

    /// The response CSV: header step,direction,mean,std; 2N rows, steps 1…2N, N up then N down;
    /// numbers; the same seed gives the same bytes; the plot is an SVG.
    @Test(.enabled(if: DeviceCLITests.enabled, "the crossbar executable is not built (run `swift build` first)"))
    func responseCSVFormat() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("r.csv").path, svg = dir.appendingPathComponent("r.svg").path
        let args = ["response", "--device", "ReRamSB", "--pulses", "20", "--devices", "50", "--seed", "3"]
        let r = try Self.run(args + ["--out", csv, "--plot", svg])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("n_states") && r.stdout.contains("symmetry point"), "summary: \(r.stdout)")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "step,direction,mean,std")
        #expect(lines.count == 41)
        for (k, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",").map(String.init)
            #expect(f.count == 4 && Int(f[0]) == k + 1 && f[1] == (k < 20 ? "up" : "down"), "row \(k): \(line)")
            #expect(Double(f[2]) != nil && (Double(f[3]) ?? -1) >= 0, "row \(k): \(line)")
        }
        // The up phase raises the mean, the down phase lowers it.
        let means = lines.dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(means[19] > means[0] && means[39] < means[20])
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.contains("<svg") && svgText.contains("</svg>"))
        // Same seed, same CSV; without --out the CSV goes to stdout.
        let again = try Self.run(args)
        #expect(again.status == 0 && again.stdout == text)
        #expect(again.stderr.contains("n_states"))
    }

    @Test(.enabled(if: DeviceCLITests.enabled, "the crossbar executable is not built (run `swift build` first)"))
    func responseRejectsBadInput() throws {
        let zero = try Self.run(["response", "--device", "ReRamSB", "--pulses", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--pulses") && zero.stderr.contains("1…"), "stderr: \(zero.stderr)")
        let devices = try Self.run(["response", "--device", "ReRamSB", "--devices", "-3"])
        #expect(devices.status != 0 && devices.stderr.contains("devices"), "stderr: \(devices.stderr)")
        let missing = try Self.run(["response", "--device", "/nonexistent/dev.json"])
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/dev.json"), "stderr: \(missing.stderr)")
        let fp = try Self.run(["response", "--device", "/dev/null/x.json"])
        #expect(fp.status != 0)
        // Nothing half-written: a failing run leaves no output file.
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("r.csv").path
        _ = try Self.run(["response", "--device", "Nope", "--out", csv])
        #expect(!FileManager.default.fileExists(atPath: csv))
    }

    /// fit on a synthetic soft-bounds trace written in the documented CSV format recovers the
    /// parameters (noise-free: 10⁻⁴ relative, see DeviceFitTests); --out writes the JSON.
    @Test(.enabled(if: DeviceCLITests.enabled, "the crossbar executable is not built (run `swift build` first)"))
    func fitRecoversSyntheticTrace() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let truth = DeviceFitTests.softBounds(upDown: 0.2, sigma: 0)
        let trace = DeviceFitTests.trace(truth, cycles: 2, perPhase: 300)
        let data = dir.appendingPathComponent("m.csv").path
        try trace.csv().write(toFile: data, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("fit.json").path, svg = dir.appendingPathComponent("fit.svg").path
        let r = try Self.run(["fit", "--data", data, "--model", "soft_bounds", "--out", out, "--plot", svg])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("residual RMS"))
        let fitted = try JSONCoding.decode(DeviceConfig.self, from: Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(fitted.model == .softBounds)
        #expect(DeviceFitTests.close(fitted.dwMin, 0.01) && abs(fitted.upDown - 0.2) < 1e-4)
        #expect(DeviceFitTests.close(fitted.wMax, 0.8) && DeviceFitTests.close(fitted.wMin, -0.6))
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
        // The stdout JSON is the same device.
        let json = r.stdout.components(separatedBy: "\nresidual")[0]
        #expect(try JSONCoding.decode(DeviceConfig.self, from: Data(json.utf8)) == fitted)
    }

    @Test(.enabled(if: DeviceCLITests.enabled, "the crossbar executable is not built (run `swift build` first)"))
    func fitRejectsBadInput() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("bad.csv").path
        try "pulse,direction,conductance\n0,none,0\n1,up,0.1\n2,sideways,0.2\n".write(toFile: data, atomically: true, encoding: .utf8)
        let r = try Self.run(["fit", "--data", data, "--model", "soft_bounds"])
        #expect(r.status != 0 && r.stderr.contains("bad.csv:4") && r.stderr.contains("sideways"), "stderr: \(r.stderr)")
        let model = try Self.run(["fit", "--data", data, "--model", "soft_bound"])
        #expect(model.status != 0 && model.stderr.contains("--model") && model.stderr.contains("soft_bounds"), "stderr: \(model.stderr)")
        let missing = try Self.run(["fit", "--data", "/nonexistent/m.csv", "--model", "linear_step"])
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/m.csv"), "stderr: \(missing.stderr)")
        let good = dir.appendingPathComponent("m.csv").path
        try DeviceFitTests.trace(DeviceFitTests.softBounds(upDown: 0, sigma: 0), cycles: 1, perPhase: 50).csv()
            .write(toFile: good, atomically: true, encoding: .utf8)
        let nodes = try Self.run(["fit", "--data", good, "--model", "piecewise_step", "--nodes", "1"])
        #expect(nodes.status != 0 && nodes.stderr.contains("--nodes") && nodes.stderr.contains("2…64"), "stderr: \(nodes.stderr)")
    }
}
