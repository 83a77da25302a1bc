import Foundation
import Testing
import CrossbarKit
import TestSupport

/// The order in which an LSTM layer hands its time steps to the tile update.
@Suite struct LSTMUpdateOrderTests {
    /// One optimizer step is ONE tile update of T·B rows: step T−1 (batch rows 0…B−1) first,
    /// then T−2, …, step 0 last; row r of x is [x_t, h_{t−1}] of that step and sample.
    @Test func rowsAreAppliedInBackpropagationOrder() throws {
        let recorder = RecordingFactory()   // (LayerTests.swift)
        let tiles = recorder.factory
        let v = 5, hidden = 2, batch = 2, steps = 3
        let model = try LSTMCharacterModel(vocabularySize: v, options: LSTMModelOptions(hiddenSize: hidden, layers: 1, dropout: 0),
                                           tiles: tiles, seeds: SeedSet(master: 3))
        // Sequence 0 reads 0 1 2, sequence 1 reads 4 3 2 (batch-major tokens).
        let tokens: [Int32] = [0, 1, 2, 4, 3, 2]
        let targets: [Int32] = [1, 2, 3, 3, 2, 1]
        let logits = tokens.withUnsafeBufferPointer {
            model.forward(tokens: $0.baseAddress!, batch: batch, steps: steps, training: true).array
        }
        let (_, g) = lossAndGradient(logits, labels: targets, classes: v)
        g.withUnsafeBufferPointer { model.backward(FloatBuffer($0.baseAddress!, count: $0.count)) }
        model.update(learningRate: 0.1)

        let lstm = try #require(recorder.cores["layer0"])
        #expect(lstm.calls.count == 1)
        let update = lstm.calls[0]
        #expect(update.batch == steps * batch)
        let columns = v + hidden
        for k in 0..<steps {
            let t = steps - 1 - k
            for b in 0..<batch {
                let row = Array(update.x[((k * batch + b) * columns)..<((k * batch + b + 1) * columns)])
                let token = Int(tokens[b * steps + t])
                for j in 0..<v { #expect(row[j] == (j == token ? 1 : 0), "update row of step \(t), sample \(b), column \(j)") }
                if t == 0 { #expect(row[v...].allSatisfy { $0 == 0 }, "h_{-1} is zero") }
                else { #expect(row[v...].contains { $0 != 0 }, "h_{t-1} of step \(t) is not zero") }
            }
        }
        // The read-out gets its B·T rows batch-major (row b·T + t).
        let readout = try #require(recorder.cores["layer1"])
        #expect(readout.calls.count == 1 && readout.calls[0].batch == batch * steps)
    }
}
