import Foundation
import Testing
import TestSupport
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarTile

/// The one-hot transfer read (``AnalogMVM/readOneHot(weights:index:value:indexStride:lineStride:output:)``,
/// O(outputs)) against the full MVM of the same one-hot input vector (O(inputs × outputs)):
/// the same distribution per output line, for every periphery the fast path serves (no noise
/// or bound management, no input noise, no IR drop). Both use the same output stage code; this
/// checks the steps before it (DAC of the single input, the read of one column) and the weight-
/// noise standard deviations the read derives from ‖v‖ = |v|.
///
/// Tolerances: with N = 4000 reads of each, a line's two sample means differ by less than 5
/// standard errors of the difference √(s₁²/N + s₂²/N) (plus 10⁻⁶ for exact, noise-free lines);
/// the variances' ratio is within 1 ± 5 standard errors, where the relative standard error of
/// a variance estimate is √((κ − 1)/N) with κ = μ₄/σ⁴ the sample's kurtosis (3 for a Gaussian,
/// lower for the two-valued outputs of a clipped read), so that of the ratio is
/// √((κ₁ − 1)/N + (κ₂ − 1)/N). Noise-free settings must agree exactly.
@Suite struct OneHotReadTests {
    static func settings() -> [(String, IOParameters)] {
        var base = IOParameters()
        base.noiseManagement = .none
        base.boundManagement = .none
        var stochastic = base
        stochastic.inpStoRound = true
        stochastic.outStoRound = true
        var additive = base
        additive.wNoise = 0.05
        additive.wNoiseType = .additiveConstant
        var pcm = base
        pcm.wNoise = 0.08
        pcm.wNoiseType = .pcmRead
        var asymmetric = base
        asymmetric.outAsymmetry = 0.2
        asymmetric.outScale = 2
        asymmetric.inpAsymmetry = 0.1
        var perLine = base
        perLine.outNoiseStd = 0.5
        var clipped = base
        clipped.outBound = 0.3
        var quiet = base
        quiet.outNoise = 0
        return [("default", base), ("stochastic rounding", stochastic), ("additive weight noise", additive),
                ("pcm_read weight noise", pcm), ("asymmetries and out_scale", asymmetric), ("per-line output noise", perLine),
                ("clipped", clipped), ("noise free", quiet)]
    }

    @Test(arguments: 0..<8) func oneHotReadMatchesTheFullRead(_ k: Int) {
        let (name, io) = Self.settings()[k]
        let n = 12, m = 7, reads = 4000
        var g = Xoshiro256(seed: 3)
        let w = (0..<(m * n)).map { _ in 2 * g.nextUniform() - 1 }
        var constructionA = Xoshiro256(seed: 9), constructionB = Xoshiro256(seed: 9)
        let fast = AnalogMVM(io: io, direction: .forward, inputSize: n, outputSize: m, key: StreamKey(rawValue: 11), construction: &constructionA)
        let full = AnalogMVM(io: io, direction: .forward, inputSize: n, outputSize: m, key: StreamKey(rawValue: 12), construction: &constructionB)
        let column = 5
        let value: Float = -0.73
        var x = [Float](repeating: 0, count: n)
        x[column] = value
        var a = [[Double]](repeating: [], count: m), b = a
        var y = [Float](repeating: 0, count: m)
        w.withUnsafeBufferPointer { wp in
            for _ in 0..<reads {
                y.withUnsafeMutableBufferPointer {
                    fast.readOneHot(weights: wp.baseAddress!, index: column, value: value, indexStride: 1, lineStride: n, output: $0.baseAddress!)
                }
                for i in 0..<m { a[i].append(Double(y[i])) }
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { full.apply(weights: wp.baseAddress!, input: xp.baseAddress!, batch: 1, output: $0.baseAddress!) }
                }
                for i in 0..<m { b[i].append(Double(y[i])) }
            }
        }
        #expect(fast.callCount == UInt64(reads) && full.callCount == UInt64(reads))
        /// Mean, variance and kurtosis μ₄/σ⁴ of a sample.
        func moments(_ v: [Double]) -> (mean: Double, variance: Double, kurtosis: Double) {
            let n = Double(v.count)
            let mean = v.reduce(0, +) / n
            let m2 = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
            let m4 = v.map { pow($0 - mean, 4) }.reduce(0, +) / n
            return (mean, m2 * n / (n - 1), m2 > 0 ? m4 / (m2 * m2) : 0)
        }
        for i in 0..<m {
            let p = moments(a[i]), q = moments(b[i])
            let se = (p.variance / Double(reads) + q.variance / Double(reads)).squareRoot()
            #expect(abs(p.mean - q.mean) <= 5 * se + 1e-6, "\(name), line \(i): mean \(p.mean) vs \(q.mean) (SE \(se))")
            if q.variance == 0 {
                #expect(p.variance == 0, "\(name), line \(i): the read is noisy where the full MVM is exact")
            } else {
                let ratio = p.variance / q.variance
                let relativeSE = ((p.kurtosis - 1) / Double(reads) + (q.kurtosis - 1) / Double(reads)).squareRoot()
                #expect(abs(ratio - 1) <= 5 * relativeSE, "\(name), line \(i): variance ratio \(ratio) (SE \(relativeSE))")
            }
        }
    }
}
