import CrossbarFoundation

/// The optimisers of the ``SyntheticTask``.
public enum SyntheticAlgorithm: String, ConfigEnum {
    /// Plain stochastic gradient descent, w ← w − η g.
    case sgd
    /// Heavy-ball momentum (β = 0.9): v ← β v + g, w ← w − η v.
    case momentum
    /// SGD with Polyak–Ruppert averaging of the iterates of the second half of training; the
    /// averaged weights are evaluated.
    case averaged
}
