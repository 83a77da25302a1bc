import Foundation
import CrossbarFoundation

/// A cheap but genuine sweep task: fit a noisy linear regression y = w*·x + ε by stochastic
/// gradient descent and report how well it worked. It exists to test and demonstrate the sweep
/// machinery (it runs in milliseconds), not to say anything about analog hardware.
///
/// Data: w* ~ N(0, 1/d) per component; inputs x ~ N(0, I_d); labels y = w*·x + `noise`·N(0, 1);
/// a noiseless test set of 256 inputs. Training starts from w = 0 and takes `steps` single-sample
/// steps (samples drawn uniformly with replacement) with the chosen `algorithm`, adding
/// `update_noise`·N(0, 1) to every weight after each step. All randomness comes from the
/// document's `seed` (streams `task`, `dataOrder`, `cycleNoise`), so a document always gives the
/// same metrics.
///
/// Metrics: `test_mse` (mean squared error on the test set against the noiseless targets),
/// `train_mse` (on the training labels), `weight_error` (‖w − w*‖ / ‖w*‖). Extra:
/// `loss_trace` — the training MSE at 10 evenly spaced steps. A run whose weights stop being
/// finite (learning rate too large) fails with an error saying so.
public struct SyntheticTask: SweepTask {
    public static let taskName = "synthetic"
    public var name: String { Self.taskName }

    public init() {}

    public func validate(point: JSONValue) throws {
        _ = try parameters(point)
    }

    public func parameters(_ point: JSONValue) throws -> SyntheticTaskParameters {
        try point.decode(SyntheticTaskParameters.self, what: "synthetic task")
    }

    public func run(point: JSONValue) throws -> SweepMetrics {
        let p = try parameters(point)
        let seeds = SeedSet(master: UInt64(p.seed))
        let d = p.features, n = p.samples, testCount = 256

        var g = seeds.key(.task, "synthetic/target").generator
        let scale = 1 / Double(d).squareRoot()
        let target = (0..<d).map { _ in Double(g.nextGaussian()) * scale }
        var inputs = [Double](repeating: 0, count: n * d)
        var labels = [Double](repeating: 0, count: n)
        var gx = seeds.key(.task, "synthetic/inputs").generator
        var gy = seeds.key(.task, "synthetic/labels").generator
        for i in 0..<n {
            var y = 0.0
            for j in 0..<d {
                let x = Double(gx.nextGaussian())
                inputs[i * d + j] = x
                y += target[j] * x
            }
            labels[i] = y + p.noise * Double(gy.nextGaussian())
        }
        var testInputs = [Double](repeating: 0, count: testCount * d)
        var gt = seeds.key(.task, "synthetic/test").generator
        for k in testInputs.indices { testInputs[k] = Double(gt.nextGaussian()) }

        func mse(_ w: [Double], _ xs: [Double], _ ys: [Double]?, count: Int) -> Double {
            var total = 0.0
            for i in 0..<count {
                var pred = 0.0, truth = 0.0
                for j in 0..<d {
                    pred += w[j] * xs[i * d + j]
                    if ys == nil { truth += target[j] * xs[i * d + j] }
                }
                let e = pred - (ys?[i] ?? truth)
                total += e * e
            }
            return total / Double(count)
        }

        var w = [Double](repeating: 0, count: d)
        var velocity = [Double](repeating: 0, count: d)
        var average = [Double](repeating: 0, count: d)
        var averaged = 0
        let averageFrom = p.steps / 2
        var order = seeds.key(.dataOrder, "synthetic").generator
        var updateNoise = seeds.key(.cycleNoise, "synthetic").generator
        var trace: [JSONValue] = []
        let traceEvery = max(p.steps / 10, 1)
        for step in 0..<p.steps {
            let i = Int(order.next() % UInt64(n))
            var residual = -labels[i]
            for j in 0..<d { residual += w[j] * inputs[i * d + j] }
            for j in 0..<d {
                let grad = residual * inputs[i * d + j]
                switch p.algorithm {
                case .sgd, .averaged:
                    w[j] -= p.learningRate * grad
                case .momentum:
                    velocity[j] = 0.9 * velocity[j] + grad
                    w[j] -= p.learningRate * velocity[j]
                }
                if p.updateNoise > 0 { w[j] += p.updateNoise * Double(updateNoise.nextGaussian()) }
            }
            if !w.allSatisfy({ $0.isFinite && abs($0) < 1e150 }) {
                throw CrossbarError.message("synthetic task diverged at step \(step + 1) of \(p.steps) (learning_rate \(p.learningRate) is too large for \(p.algorithm.rawValue))")
            }
            if p.algorithm == .averaged, step >= averageFrom {
                averaged += 1
                for j in 0..<d { average[j] += (w[j] - average[j]) / Double(averaged) }
            }
            if (step + 1) % traceEvery == 0, trace.count < 10 {
                trace.append(.number(mse(w, inputs, labels, count: n)))
            }
        }
        let final = p.algorithm == .averaged ? average : w
        var errorSq = 0.0, normSq = 0.0
        for j in 0..<d {
            errorSq += (final[j] - target[j]) * (final[j] - target[j])
            normSq += target[j] * target[j]
        }
        if p.sleepMs > 0 { Thread.sleep(forTimeInterval: Double(p.sleepMs) / 1000) }
        return SweepMetrics(
            [
                "test_mse": mse(final, testInputs, nil, count: testCount),
                "train_mse": mse(final, inputs, labels, count: n),
                "weight_error": (errorSq / max(normSq, .leastNormalMagnitude)).squareRoot(),
            ],
            extra: ["loss_trace": .array(trace)])
    }
}
