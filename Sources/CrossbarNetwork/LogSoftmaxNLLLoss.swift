import Foundation
import CrossbarFoundation

/// Log-softmax followed by the negative log-likelihood, computed together (torch's
/// `LogSoftmax` + `NLLLoss`, i.e. cross-entropy on logits), numerically stable through the
/// max-shifted log-sum-exp.
///
/// For logits z [batch × classes] and labels t: L = (1/batch) Σ_b (logsumexp(z_b) − z_b[t_b]),
/// the mean over the mini-batch as torch computes it. The gradient is therefore
/// ∂L/∂z_b = (softmax(z_b) − onehot(t_b)) / batch, and this g is what the layers — and the
/// analog tiles' updates — receive (docs/training.md, "Training semantics": torch passes g = dL/dy with L the batch mean), so
/// the effective per-sample learning rate is η / batch, as in aihwkit.
public final class LogSoftmaxNLLLoss {
    public let classCount: Int
    private let grad = ScratchBuffer<Float>()

    public init(classCount: Int) {
        precondition(classCount >= 1)
        self.classCount = classCount
    }

    /// Mean loss over the batch; also computes ``gradient`` [batch × classes] and returns the
    /// number of samples whose largest logit is the label (first maximum on ties).
    @discardableResult
    package func evaluate(logits logitsBuffer: FloatBuffer, labels: UnsafePointer<Int32>, batch: Int,
                          correct: UnsafeMutablePointer<Int>? = nil) -> Float {
        let logits = logitsBuffer.pointer
        let c = classCount
        lastBatch = batch
        let g = grad.ensure(batch * c)
        let invBatch = 1 / Float(batch)
        var total: Double = 0
        var hits = 0
        for b in 0..<batch {
            let z = logits + b * c
            let gb = g + b * c
            var m = z[0]
            var arg = 0
            for i in 1..<max(c, 1) where z[i] > m { m = z[i]; arg = i }
            var sum: Float = 0
            for i in 0..<c {
                let e = expf(z[i] - m)
                gb[i] = e
                sum += e
            }
            let label = Int(labels[b])
            total += Double(logf(sum) + m - z[label])
            let scale = invBatch / sum
            for i in 0..<c { gb[i] *= scale }
            gb[label] -= invBatch
            if arg == label { hits += 1 }
        }
        correct?.pointee = hits
        return Float(total / Double(batch))
    }

    /// Mean loss of logits [rows × classes] against `labels` (one per row), and the number of
    /// rows whose largest logit is the label; also computes ``gradient``. Checked.
    public func evaluate(logits: Matrix, labels: [Int32]) throws -> (loss: Float, correct: Int) {
        guard logits.cols == classCount, labels.count == logits.rows, logits.rows > 0 else {
            throw CrossbarError.shapeMismatch(what: "logits and labels", expected: "rows × \(classCount) logits and one label per row",
                                              got: "\(logits.rows)×\(logits.cols) logits, \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classCount }) {
            throw CrossbarError.invalidParameter(field: "labels[\(bad)]", value: "\(labels[bad])", allowed: "0…\(classCount - 1)")
        }
        var correct = 0
        let loss = logits.withBuffer { l in
            labels.withUnsafeBufferPointer { evaluate(logits: l, labels: $0.baseAddress!, batch: logits.rows, correct: &correct) }
        }
        return (loss, correct)
    }

    /// ∂L/∂logits of the last evaluation, [batch × classes]; valid until the next evaluation.
    public var gradient: FloatBuffer { FloatBuffer(grad.pointer, count: lastBatch * classCount) }
    private var lastBatch = 0

    /// Log-probabilities log softmax(z) of one row of logits (checked helper for inspection).
    public static func logSoftmax(_ z: [Float]) -> [Float] {
        guard let m = z.max() else { return [] }
        let lse = m + logf(z.reduce(Float(0)) { $0 + expf($1 - m) })
        return z.map { $0 - lse }
    }
}
