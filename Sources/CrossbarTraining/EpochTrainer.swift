/// A training loop that advances one epoch at a time (``Trainer`` for the image models,
/// ``CharacterTrainer`` for the character model): the epoch loop is written once, here.
public protocol EpochTrainer: AnyObject {
    /// What one epoch reports.
    associatedtype Metrics
    /// True once every planned epoch is done.
    var isFinished: Bool { get }
    /// Trains to the end of the current epoch (call only while not ``isFinished``) and returns
    /// its metrics; nil when `onBatch`, called after every mini-batch, returned false — training
    /// then stopped after that mini-batch and continues from there on the next call.
    func trainEpoch(onBatch: ((BatchProgress) -> Bool)?) throws -> Metrics?
}

extension EpochTrainer {
    /// Trains the remaining epochs, calling `onEpoch` after each; returns their metrics.
    /// Throwing from `onEpoch` stops the run (the trainer is at the start of the next epoch).
    @discardableResult
    public func run(onEpoch: (Metrics) throws -> Void = { _ in }) throws -> [Metrics] {
        var all: [Metrics] = []
        while !isFinished {
            guard let m = try trainEpoch(onBatch: nil) else { break }
            all.append(m)
            try onEpoch(m)
        }
        return all
    }
}
