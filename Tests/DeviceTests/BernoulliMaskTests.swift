import Foundation
import Testing
@testable import CrossbarFoundation
@testable import CrossbarDevices

/// The Bernoulli slot masks of the stochastic bit lines (docs/devices.md, "The pulsed update"):
/// slot s fires when its 32-bit uniform u_s is below t = ⌈p·2³²⌉. Long trains decide all slots
/// bit-serially (`bernoulliMaskBitSerial`), short ones slot by slot (`bernoulliMaskSlotBySlot`).
@Suite struct BernoulliMaskTests {
    /// Number of 64-bit draws between two generator states (`after` is reached from `before`).
    static func drawsBetween(_ before: Xoshiro256, _ after: Xoshiro256) -> Int {
        var g = before
        var n = 0
        while !(g.s0 == after.s0 && g.s1 == after.s1 && g.s2 == after.s2 && g.s3 == after.s3) {
            _ = g.next()
            n += 1
            precondition(n <= 64, "the generator did not reach the state after the call")
        }
        return n
    }

    /// Exactness, deterministically: replaying the words the bit-serial mask consumed gives every
    /// slot the leading bits of its uniform (level k is bit k of u_s: the low then the high half
    /// of each draw for trains of ≤ 32 slots, one draw per level above); comparing those bits
    /// with t from the most significant must decide every slot, and the decision must be the
    /// mask's bit. 20 000 random (t, BL) pairs, t with long runs of equal bits included (t near
    /// 0, near 2³², and powers of two), BL 11 … 64.
    @Test func bitSerialMaskIsTheComparisonOfTheSlotsUniforms() {
        var setup = Xoshiro256(seed: 71)
        var g = Xoshiro256(seed: 72)
        for case_ in 0..<20_000 {
            let bits = 11 + Int(setup.next() % 54)
            let threshold: UInt64
            switch case_ % 5 {
            case 0: threshold = 1 + setup.next() % 1000
            case 1: threshold = (UInt64(1) << 32) - 1 - setup.next() % 1000
            case 2: threshold = UInt64(1) << (setup.next() % 32)
            default: threshold = 1 + setup.next() % ((UInt64(1) << 32) - 1)
            }
            let before = g
            let mask = PulsedUpdateEngine.bernoulliMaskBitSerial(threshold: threshold, bits: bits, &g)
            let draws = Self.drawsBetween(before, g)
            var replay = before
            var levelWords: [UInt64] = []
            for _ in 0..<draws {
                let r = replay.next()
                if bits <= 32 {
                    levelWords.append(r & 0xFFFF_FFFF)
                    levelWords.append(r >> 32)
                } else {
                    levelWords.append(r)
                }
            }
            #expect(mask >> UInt64(bits) == 0 || bits == 64, "slots beyond BL fired")
            for s in 0..<bits {
                var decision: Bool?
                for (i, word) in levelWords.prefix(32).enumerated() {
                    let k = 31 - i
                    let uBit = (word >> UInt64(s)) & 1, tBit = (threshold >> UInt64(k)) & 1
                    if uBit != tBit {
                        decision = uBit < tBit
                        break
                    }
                }
                // All 32 bits equal: u_s = t, which does not fire.
                if decision == nil && levelWords.count >= 32 { decision = false }
                guard let fires = decision else {
                    Issue.record("case \(case_): slot \(s) undecided after \(levelWords.count) levels")
                    break
                }
                if fires != ((mask >> UInt64(s)) & 1 == 1) {
                    Issue.record("case \(case_): t \(threshold), BL \(bits), slot \(s): mask \((mask >> UInt64(s)) & 1), comparison \(fires)")
                    break
                }
            }
        }
    }

    /// Both methods against the Bernoulli law, statistically: for each (p, BL), N masks; every
    /// slot's firing frequency within 5 standard errors of p (SE = √(p(1−p)/N)), and every
    /// pair of adjacent slots firing together within 5 SE of p² (SE = √(p²(1−p²)/N)), i.e.
    /// the slots are independent. Covers the method switch (BL 10 and 11), a half-used draw
    /// (BL 31), one word (BL 64) and small, middle and large p. N = 40 000: 5 SE at p = 0.5 is
    /// 0.0125; with about 3 000 checks a false failure has probability ≈ 3 000 × 5.7·10⁻⁷ ≈ 2·10⁻³
    /// (and the seeds are fixed, so a pass stays a pass).
    @Test(arguments: [3, 10, 11, 31, 32, 33, 64])
    func slotsAreIndependentBernoulli(_ bits: Int) {
        var g = Xoshiro256(seed: 81 + UInt64(bits))
        let n = 40_000
        for p in [Float(0.003), 0.1, 0.5, 0.77, 0.999] {
            let threshold = UInt64(Rounding.up(Double(p) * 4_294_967_296.0))
            let exact = Double(threshold) / 4_294_967_296.0
            for method in ["slot by slot", "bit-serial"] {
                var ones = [Int](repeating: 0, count: bits)
                var pairs = [Int](repeating: 0, count: max(bits - 1, 0))
                for _ in 0..<n {
                    let m = method == "slot by slot"
                        ? PulsedUpdateEngine.bernoulliMaskSlotBySlot(threshold: threshold, bits: bits, &g)
                        : PulsedUpdateEngine.bernoulliMaskBitSerial(threshold: threshold, bits: bits, &g)
                    for s in 0..<bits where (m >> UInt64(s)) & 1 == 1 {
                        ones[s] += 1
                        if s + 1 < bits && (m >> UInt64(s + 1)) & 1 == 1 { pairs[s] += 1 }
                    }
                }
                let se = (exact * (1 - exact) / Double(n)).squareRoot()
                for s in 0..<bits {
                    let f = Double(ones[s]) / Double(n)
                    #expect(abs(f - exact) <= 5 * se, "\(method), BL \(bits), p \(p), slot \(s): frequency \(f)")
                }
                let p2 = exact * exact
                let se2 = (p2 * (1 - p2) / Double(n)).squareRoot()
                // Joint firings only where they are frequent enough for the normal approximation
                // (n·p² ≥ 100, i.e. p ≥ 0.05).
                for s in 0..<pairs.count where Double(n) * p2 >= 100 {
                    let f = Double(pairs[s]) / Double(n)
                    #expect(abs(f - p2) <= 5 * se2, "\(method), BL \(bits), p \(p), slots \(s), \(s + 1): joint \(f)")
                }
            }
        }
    }
}
