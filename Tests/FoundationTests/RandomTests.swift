import Foundation
import Testing
import CrossbarKit
@testable import CrossbarFoundation
@testable import CrossbarData
@testable import CrossbarPlot
@testable import CrossbarDevices
@testable import CrossbarTile
@testable import CrossbarAlgorithms
@testable import CrossbarNetwork
@testable import CrossbarTraining
@testable import CrossbarSweep
@testable import CrossbarExperiments
import TestSupport

/// The generators against published reference outputs, and the distributions against theory.
@Suite struct RandomTests {
    // MARK: Reference outputs

    /// SplitMix64 seeded with 1234567 (reference values published with the algorithm's
    /// descriptions, e.g. Rosetta Code "Pseudo-random numbers/Splitmix64").
    @Test func splitMix64MatchesPublishedOutputs() {
        var g = SplitMix64(seed: 1234567)
        let expected: [UInt64] = [6457827717110365317, 3203168211198807973, 9817491932198370423,
                                  4593380528125082431, 16408922859458223821]
        #expect((0..<5).map { _ in g.next() } == expected)
    }

    /// xoshiro256++ from state (1, 2, 3, 4): reference outputs of the C reference algorithm (the
    /// same vector the Rust rand_xoshiro crate tests against).
    @Test func xoshiro256PlusPlusMatchesReferenceOutputs() {
        var g = Xoshiro256(state: 1, 2, 3, 4)
        let expected: [UInt64] = [41943041, 58720359, 3588806011781223, 3591011842654386,
                                  9228616714210784205, 9973669472204895162, 14011001112246962877,
                                  12406186145184390807, 15849039046786891736, 10450023813501588000]
        #expect((0..<10).map { _ in g.next() } == expected)
    }

    /// A naive transcription of the C reference (Blackman & Vigna), seeded as they recommend
    /// with four SplitMix64 outputs.
    struct NaiveXoshiro {
        var s: [UInt64]
        init(seed: UInt64) {
            var sm = SplitMix64(seed: seed)
            s = (0..<4).map { _ in sm.next() }
        }
        static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
        mutating func next() -> UInt64 {
            let result = Self.rotl(s[0] &+ s[3], 23) &+ s[0]
            let t = s[1] << 17
            s[2] ^= s[0]
            s[3] ^= s[1]
            s[1] ^= s[2]
            s[0] ^= s[3]
            s[2] ^= t
            s[3] = Self.rotl(s[3], 45)
            return result
        }
    }

    @Test(arguments: [UInt64(0), 1, 42, 0xDEAD_BEEF, .max])
    func xoshiroMatchesNaiveReferenceWithSplitMixSeeding(seed: UInt64) {
        var fast = Xoshiro256(seed: seed)
        var naive = NaiveXoshiro(seed: seed)
        let a = (0..<1000).map { _ in fast.next() }
        let b = (0..<1000).map { _ in naive.next() }
        #expect(zip(a, b).filter { $0 != $1 }.isEmpty, "outputs differ from the naive reference")
    }

    // MARK: Distributions

    /// U[0, 1): mean 1/2 and variance 1/12. The mean of n draws has SE √(1/12)/√n; the sample
    /// variance has SE √((μ₄ − σ⁴)/n) with μ₄ = 1/80 for the uniform. 4 SE each.
    @Test func uniformMeanAndVariance() {
        var g = Xoshiro256(seed: 99)
        let n = 1_000_000
        var stats = SampleStats()
        var doubles = SampleStats()
        var inRange = true
        for _ in 0..<n {
            let u = g.nextUniform()
            let d = g.nextUniformDouble()
            inRange = inRange && u >= 0 && u < 1 && d >= 0 && d < 1
            stats.add(Double(u))
            doubles.add(d)
        }
        #expect(inRange)
        let seMean = (1.0 / 12.0).squareRoot() / Double(n).squareRoot()
        let seVar = ((1.0 / 80.0 - 1.0 / 144.0) / Double(n)).squareRoot()
        for s in [stats, doubles] {
            #expect(abs(s.mean - 0.5) <= 4 * seMean, "mean \(s.mean)")
            #expect(abs(s.variance - 1.0 / 12.0) <= 4 * seVar, "variance \(s.variance)")
        }
    }

    /// Ziggurat N(0, 1) over n = 2·10⁶ draws. Standard errors for a normal sample: mean 1/√n,
    /// variance √(2/n), skewness √(6/n), excess kurtosis √(24/n); a tail probability p has the
    /// binomial SE √(p(1−p)/n). 4 SE each (several checks at once). The Kolmogorov–Smirnov
    /// distance against Φ must be below 1.63/√n (the 1 % critical value).
    @Test func gaussianMomentsTailsAndShape() {
        var g = Xoshiro256(seed: 2024)
        let n = 2_000_000
        var z = [Float](repeating: 0, count: n)
        for k in 0..<n { z[k] = g.nextGaussian() }
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
        var beyond2 = 0, beyond3 = 0, beyondR = 0
        for v in z {
            let x = Double(v)
            s1 += x; s2 += x * x; s3 += x * x * x; s4 += x * x * x * x
            if abs(x) > 2 { beyond2 += 1 }
            if abs(x) > 3 { beyond3 += 1 }
            if abs(x) > 3.442619855899 { beyondR += 1 }   // the ziggurat's tail algorithm
        }
        let dn = Double(n)
        let mean = s1 / dn
        let variance = s2 / dn - mean * mean
        let skewness = s3 / dn / pow(variance, 1.5)
        let kurtosis = s4 / dn / (variance * variance) - 3
        #expect(abs(mean) <= 4 / dn.squareRoot(), "mean \(mean)")
        #expect(abs(variance - 1) <= 4 * (2 / dn).squareRoot(), "variance \(variance)")
        #expect(abs(skewness) <= 4 * (6 / dn).squareRoot(), "skewness \(skewness)")
        #expect(abs(kurtosis) <= 4 * (24 / dn).squareRoot(), "excess kurtosis \(kurtosis)")
        for (count, p, label) in [(beyond2, 0.04550026389635842, "|z| > 2"),
                                  (beyond3, 0.0026997960632601866, "|z| > 3"),
                                  (beyondR, erfc(3.442619855899 / 2.0.squareRoot()), "|z| > r")] {
            let se = (p * (1 - p) / dn).squareRoot()
            #expect(abs(Double(count) / dn - p) <= 4 * se, "P(\(label)) = \(Double(count) / dn), expected \(p)")
        }
        z.sort()
        var ks = 0.0
        for (k, v) in z.enumerated() {
            let cdf = 0.5 * erfc(-Double(v) / 2.0.squareRoot())
            ks = max(ks, abs(cdf - Double(k) / dn), abs(cdf - Double(k + 1) / dn))
        }
        #expect(ks < 1.63 / dn.squareRoot(), "KS distance \(ks)")
    }

    /// The bulk sampler gives the same variates, in the same order, as repeated single draws.
    @Test func bulkGaussianFillEqualsSequentialDraws() {
        var a = Xoshiro256(seed: 5)
        var b = Xoshiro256(seed: 5)
        let n = 100_000
        let single = (0..<n).map { _ in a.nextGaussian() }
        var bulk = [Float](repeating: 0, count: n)
        b.fillGaussian(&bulk)
        #expect(zip(single, bulk).filter { $0 != $1 }.isEmpty, "bulk and single draws differ")
        #expect(a.next() == b.next(), "both generators end in the same state")
        var scaled = [Float](repeating: 0, count: 1000)
        var c = Xoshiro256(seed: 5)
        c.fillGaussian(&scaled, mean: 2, std: 3)
        for k in 0..<1000 { #expect(abs(scaled[k] - (2 + 3 * single[k])) <= 1e-5) }
    }

    // MARK: Stream keys

    @Test func streamKeysAreReproducibleAndDistinct() {
        let seeds = SeedSet(master: 17)
        #expect(seeds.key(.mvmNoise, "layer0") == SeedSet(master: 17).key(.mvmNoise, "layer0"))
        var keys: Set<UInt64> = []
        for stream in RandomStream.allCases {
            for path in ["", "layer0", "layer1", "layer0/A"] {
                keys.insert(seeds.key(stream, path).value)
                keys.insert(SeedSet(master: 18).key(stream, path).value)
            }
        }
        #expect(keys.count == RandomStream.allCases.count * 4 * 2)
        let k = seeds.key(.pulses, "tile")
        let children = [k.child("A"), k.child("B"), k.child("forward"), k.child(0), k.child(1), k.child(-1), k]
        #expect(Set(children.map(\.value)).count == children.count)
    }

    /// Generators for neighbouring (counter, lane) pairs start different streams: over a
    /// 64×64 grid the first outputs are all distinct, and the streams are uncorrelated (the
    /// correlation of two uniform streams over m draws has SE 1/√m; 4 SE).
    @Test func generatorsPerCounterAndLaneAreIndependent() {
        let key = SeedSet(master: 3).key(.mvmNoise, "tile")
        var first: Set<UInt64> = []
        for c in 0..<64 { for l in 0..<64 { var g = key.generator(UInt64(c), UInt64(l)); first.insert(g.next()) } }
        #expect(first.count == 64 * 64)
        let m = 100_000
        for (a, b) in [((0, 0), (1, 0)), ((0, 0), (0, 1)), ((5, 0x80), (5, 0x81)), ((7, 256), (7, 0))] {
            var ga = key.generator(UInt64(a.0), UInt64(a.1))
            var gb = key.generator(UInt64(b.0), UInt64(b.1))
            var sab = 0.0
            for _ in 0..<m { sab += (Double(ga.nextUniform()) - 0.5) * (Double(gb.nextUniform()) - 0.5) }
            let correlation = sab / Double(m) * 12
            #expect(abs(correlation) <= 4 / Double(m).squareRoot(), "\(a) vs \(b): correlation \(correlation)")
        }
    }
}
