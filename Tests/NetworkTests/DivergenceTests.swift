import Testing
import CrossbarKit

/// A run whose loss or weights leave the finite range stops with a named error instead of
/// carrying NaN into the metrics.
@Suite struct DivergenceTests {
    static let clusters = try! SyntheticData.gaussianClusters(classes: 4, features: 16, trainCount: 200, testCount: 100, seeds: SeedSet(master: 7))

    func trainer(learningRate: Float) throws -> Trainer {
        let seeds = SeedSet(master: 2)
        let (train, test) = Self.clusters
        let model = try Models.fullyConnected(input: train.shape, hidden: [8], classes: 4, tiles: .floatingPoint(seeds: seeds), seeds: seeds)
        return try Trainer(model: model, train: train, test: test,
                           options: TrainingOptions(epochs: 2, batchSize: 10, schedule: .constant(learningRate)), seeds: seeds)
    }

    /// A learning rate of 1e30 blows the logits up within the first epoch: the trainer must
    /// throw `diverged` naming epoch 1, and must not return metrics with a NaN loss.
    @Test func absurdLearningRateIsReportedAsDivergence() throws {
        let t = try trainer(learningRate: 1e30)
        do {
            _ = try t.run()
            Issue.record("a run with learning rate 1e30 finished without a divergence error")
        } catch let CrossbarError.diverged(epoch, _, reason) {
            #expect(epoch == 1)
            #expect(!reason.isEmpty)
        }
    }

    /// A sane learning rate on the same data never trips the check (the check cannot be a
    /// blanket refusal).
    @Test func saneLearningRatePasses() throws {
        let metrics = try trainer(learningRate: 0.5).run()
        #expect(metrics.count == 2 && metrics.allSatisfy { $0.trainLoss.isFinite })
    }
}
