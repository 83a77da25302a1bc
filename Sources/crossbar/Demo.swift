import ArgumentParser
import CrossbarKit
import Foundation

/// A short demonstration of the analog tile: noisy forward/backward against the exact product.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what the analog periphery does to a matrix-vector product.")

    @Option(parsing: .unconditional, help: "Master seed of all random streams (an integer in 0…2⁶⁴ − 1).") var seed = SeedArgument(1)
    @Option(help: "Tile size (square).") var size: Int = 64

    func validate() throws {
        do { _ = try seed.value() } catch let e as CrossbarError { throw ValidationError(e.description) }
        guard size >= 1 && size <= 4096 else {
            throw ValidationError("--size \(size) is out of range (allowed: 1…4096)")
        }
    }

    func run() throws {
        let seeds = SeedSet(master: try seed.value())
        var g = seeds.key(.initialization, "demo").generator
        let bound = 1 / Float(size).squareRoot()
        var w = Matrix(rows: size, cols: size)
        for k in w.storage.indices { w.storage[k] = (2 * g.nextUniform() - 1) * bound }
        var x = Matrix(rows: 4, cols: size)
        for k in x.storage.indices { x.storage[k] = 2 * g.nextUniform() - 1 }
        let exact = try AnalogTile(weights: w, forward: .perfect, backward: .perfect, seeds: seeds)
        let noisy = try AnalogTile(weights: w, seeds: seeds)
        let ye = try exact.forward(x)
        let yn = try noisy.forward(x)
        var err: Double = 0
        for k in ye.storage.indices { err += Double((ye.storage[k] - yn.storage[k]) * (ye.storage[k] - yn.storage[k])) }
        print("CrossbarKit \(CrossbarVersion.current) — analog MVM demo (seed \(seed), \(size)×\(size) tile)")
        print("sample 0, first outputs   exact: \((0..<min(4, size)).map { String(format: "%+.4f", ye[0, $0]) }.joined(separator: " "))")
        print("                          analog: \((0..<min(4, size)).map { String(format: "%+.4f", yn[0, $0]) }.joined(separator: " "))")
        print(String(format: "RMS error of the default IO (7-bit DAC, 9-bit ADC, out_noise 0.06): %.4f", (err / Double(ye.storage.count)).squareRoot()))
    }
}
