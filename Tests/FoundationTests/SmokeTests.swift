import Testing
import CrossbarKit
import TestSupport

@Test func perfectForwardMatchesNaive() throws {
    let w = randomMatrix(rows: 7, cols: 5, seed: 1)
    let x = randomMatrix(rows: 3, cols: 5, seed: 2)
    let tile = try AnalogTile(weights: w, forward: .perfect, backward: .perfect, seeds: SeedSet(master: 1))
    let y = try tile.forward(x)
    #expect(maxAbsDifference(y.storage, naiveForward(w, x).storage) < 1e-5)
}
