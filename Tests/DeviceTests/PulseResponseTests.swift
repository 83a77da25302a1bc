import CrossbarKit
import Foundation
import Testing
import TestSupport

/// `PulseResponse` (docs/devices.md, "Response curves"): exactly one pulse per device per step.
@Suite struct PulseResponseTests {
    /// Constant-step devices without spreads (Δ = 0.01, σ = 0.3, bounds ±1 never reached):
    /// after n pulses the population has mean n·Δ and std σΔ√n (sum of n independent steps);
    /// after the switch, m down pulses bring the mean to (N − m)·Δ with std σΔ√(N + m).
    /// 5 SE over 2000 devices: mean SE = std/√2000, std SE = std/√4000.
    @Test func constantStepResponseIsOneStepPerPulse() throws {
        var c = DeviceConfig.quiet(.constantStep)
        c.dwMin = 0.01
        c.dwMinStd = 0.3
        c.wMax = 1
        c.wMin = -1
        let r = try PulseResponse(device: c, pulses: 40, devices: 2000, seed: 9)
        #expect(r.points.count == 80)
        #expect(r.initialMean == 0 && r.initialStd == 0)
        for p in r.points {
            let n = p.down ? 40 - (p.step - 40) : p.step
            let pulses = Double(p.step)
            let std = 0.3 * 0.01 * pulses.squareRoot()
            #expect(p.down == (p.step > 40))
            #expect(abs(p.mean - Double(n) * 0.01) <= 5 * std / 2000.0.squareRoot() + 1e-6, "step \(p.step): mean \(p.mean)")
            #expect(abs(p.std - std) <= 5 * std / 4000.0.squareRoot(), "step \(p.step): std \(p.std)")
        }
        // Same seed, same curve; another seed, another curve.
        let again = try PulseResponse(device: c, pulses: 40, devices: 2000, seed: 9)
        #expect(again.points == r.points)
        #expect(try PulseResponse(device: c, pulses: 40, devices: 2000, seed: 10).points != r.points)
        #expect(r.csv().hasPrefix("step,direction,mean,std\n1,up,"))
    }

    @Test func rejectsBadArguments() {
        #expect(throws: CrossbarError.self) { try PulseResponse(device: DeviceConfig(model: .ideal), pulses: 1, devices: 1, seed: 1) }
        #expect(throws: CrossbarError.self) { try PulseResponse(device: DeviceConfig(model: .softBounds), pulses: 0, devices: 1, seed: 1) }
        #expect(throws: CrossbarError.self) { try PulseResponse(device: DeviceConfig(model: .softBounds), pulses: 1, devices: 0, seed: 1) }
        var bad = DeviceConfig(model: .softBounds)
        bad.dwMin = -1
        #expect(throws: CrossbarError.self) { try PulseResponse(device: bad, pulses: 1, devices: 1, seed: 1) }
    }
}
