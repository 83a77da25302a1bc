import CrossbarKit
import Foundation
import Testing
import TestSupport

/// The ordering of the paper's Fig. 4 on ``ProgrammingTask`` at 20 states (10×10 tile, the
/// authors' recipe, 20 000 single-sample updates), averaged over seeds 1, 2, 3.
///
/// Margin: the error of one run varies with the seed (device draws, pulses, read noise). For two
/// algorithms with per-seed errors a_s, b_s we take the means ā, b̄ and the standard error of
/// their difference SE = √(s_a²/3 + s_b²/3) (s = sample standard deviation over the 3 seeds) and
/// require ā − b̄ > 3·SE: a gap of three standard errors, not a lucky draw. For "clearly larger"
/// we also require a factor of 2 (measured over seeds 1–6: TTv2 ≈ 0.23 vs ≈ 0.055 at σ_r = 0.3).
@Suite struct ProgrammingTaskTests {
    static let seeds: [UInt64] = [1, 2, 3]

    static func errors(_ algorithm: AlgorithmName, referenceStd: Float) throws -> SampleStats {
        var t = ProgrammingTask()
        t.algorithm = algorithm
        t.device.referenceStd = referenceStd
        var s = SampleStats()
        for seed in seeds {
            t.seed = seed
            s.add(try t.run().weightErrorStd)
        }
        return s
    }

    static func gapInStandardErrors(_ larger: SampleStats, _ smaller: SampleStats) -> Double {
        let se = (larger.variance / Double(larger.count) + smaller.variance / Double(smaller.count)).squareRoot()
        return (larger.mean - smaller.mean) / max(se, 1e-12)
    }

    @Test func withoutOffsetTheTransferAlgorithmsBeatInMemorySGD() throws {
        let sgd = try Self.errors(.sgd, referenceStd: 0)
        for algorithm in [AlgorithmName.ttv2, .cTTv2, .agad] {
            let e = try Self.errors(algorithm, referenceStd: 0)
            let gap = Self.gapInStandardErrors(sgd, e)
            #expect(gap > 3, "σ_r = 0: sgd \(sgd.mean) ± \(sgd.std) vs \(algorithm) \(e.mean) ± \(e.std): \(gap) SE")
            // Measured: sgd ≈ 0.17, transfer algorithms ≈ 0.04.
            #expect(sgd.mean > 1.5 * e.mean, "σ_r = 0: sgd \(sgd.mean) vs \(algorithm) \(e.mean)")
        }
    }

    @Test(arguments: [Float(0.3), 0.5])
    func withAReferenceOffsetTTv2IsClearlyWorseThanChoppedTTv2AndAGAD(_ referenceStd: Float) throws {
        let ttv2 = try Self.errors(.ttv2, referenceStd: referenceStd)
        for algorithm in [AlgorithmName.cTTv2, .agad] {
            let e = try Self.errors(algorithm, referenceStd: referenceStd)
            let gap = Self.gapInStandardErrors(ttv2, e)
            #expect(gap > 3, "σ_r = \(referenceStd): ttv2 \(ttv2.mean) ± \(ttv2.std) vs \(algorithm) \(e.mean) ± \(e.std): \(gap) SE")
            #expect(ttv2.mean > 2 * e.mean, "σ_r = \(referenceStd): ttv2 \(ttv2.mean) vs \(algorithm) \(e.mean)")
        }
    }

    @Test func theOffsetOnlyHurtsTTv2() throws {
        // c-TTv2 and AGAD at σ_r = 0.5 stay within a factor 1.5 of their σ_r = 0 error (the
        // paper: "maintained" / "invariant"); TTv2's error grows by more than a factor 2.
        for algorithm in [AlgorithmName.cTTv2, .agad] {
            let clean = try Self.errors(algorithm, referenceStd: 0)
            let offset = try Self.errors(algorithm, referenceStd: 0.5)
            #expect(offset.mean < 1.5 * clean.mean, "\(algorithm): \(offset.mean) at σ_r 0.5 vs \(clean.mean) at 0")
        }
        let clean = try Self.errors(.ttv2, referenceStd: 0)
        let offset = try Self.errors(.ttv2, referenceStd: 0.5)
        #expect(offset.mean > 2 * clean.mean, "ttv2: \(offset.mean) at σ_r 0.5 vs \(clean.mean) at 0")
    }

    /// The recipe's two reference points (the authors' example with these settings): TTv2 at
    /// 20 states without offset converges to ≈ 0.04; c-TTv2 at 100 states, with its fast_lr 0.1
    /// and steps of 0.02, has not converged after 20 000 updates (≈ 0.22, while a converged
    /// run at 20 states is already at 0.04). Bounds: the standard error of the mean of 3 seeds
    /// is ≈ 0.002 (TTv2) and ≈ 0.008 (c-TTv2), so each band is ≥ 5 standard errors wide on each
    /// side of the measured mean.
    @Test func theRecipeGivesTheAuthorsReferencePoints() throws {
        var t = ProgrammingTask()
        t.algorithm = .ttv2
        t.nStates = 20
        var ttv2 = SampleStats()
        for seed in Self.seeds { t.seed = seed; ttv2.add(try t.run().weightErrorStd) }
        #expect(ttv2.mean > 0.03 && ttv2.mean < 0.05, "ttv2, 20 states: \(ttv2.mean)")
        t.algorithm = .cTTv2
        t.nStates = 100
        var chopped = SampleStats()
        for seed in Self.seeds { t.seed = seed; chopped.add(try t.run().weightErrorStd) }
        #expect(chopped.mean > 0.15 && chopped.mean < 0.3, "c-ttv2, 100 states: \(chopped.mean)")
        // The recipe's per-algorithm settings of build_config.
        guard case let .compound(c) = t.tileConfiguration().device else { Issue.record("c-ttv2 is a compound"); return }
        #expect(c.fastLR == 0.1 && c.autoScale && c.autoGranularity == 200 && !c.inChopRandom && c.inChopProb == 0.1)
        #expect(t.tileConfiguration().update.desiredBL == 5)
        t.algorithm = .ttv2
        guard case let .compound(tt) = t.tileConfiguration().device else { Issue.record("ttv2 is a compound"); return }
        #expect(tt.fastLR == 1 && tt.inChopProb == 0 && tt.autoScale)
        t.algorithm = .sgd
        #expect(t.tileConfiguration().update.desiredBL == 31 && t.tileConfiguration().update.updateBLManagement)
    }

    @Test func theTaskIsDeterministicAndReportsItsPulses() throws {
        var t = ProgrammingTask()
        t.algorithm = .cTTv2
        t.updates = 500
        let a = try t.run(), b = try t.run()
        #expect(a.weightErrorStd == b.weightErrorStd)
        #expect(a.errorCurve == b.errorCurve)
        #expect(a.errorCurve.count == 10)
        #expect(Set(a.pulsesPerUpdate.keys) == ["A", "C"])
        // The endurance picture of the paper: A is pulsed far more often than W.
        #expect(a.pulsesPerUpdate["A"]! > 10 * a.pulsesPerUpdate["C"]!)
    }
}
