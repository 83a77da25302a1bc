import CrossbarKit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of `crossbar train` on stderr: on a terminal a bar redrawn in place (at most ten
/// times a second) with samples/s, ETA and the running loss of the epoch; otherwise a plain line
/// at every tenth of an epoch. One line per completed epoch in both cases.
final class TrainingProgress {
    let epochs: Int
    let quiet: Bool
    let isTerminal: Bool
    private var epoch = 0
    private var batches = 1
    private var samples = 0
    private var lastDraw = ContinuousClock.now
    private var nextPlainTenth = 1
    private var drewBar = false

    init(epochs: Int, quiet: Bool) {
        self.epochs = epochs
        self.quiet = quiet
        isTerminal = isatty(STDERR_FILENO) != 0
    }

    func startEpoch(_ epoch: Int, batches: Int, samples: Int) {
        self.epoch = epoch
        self.batches = max(batches, 1)
        self.samples = samples
        nextPlainTenth = 1
        lastDraw = .now
    }

    /// After mini-batch `p`: `done` samples in `seconds` of training so far this epoch.
    func batch(_ p: BatchProgress, samples done: Int, seconds: Double, runningLoss: Double) {
        guard !quiet else { return }
        let fraction = Double(p.batchIndex + 1) / Double(batches)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Double(samples - done) / rate : 0
        if isTerminal {
            let now = ContinuousClock.now
            guard p.batchIndex + 1 == batches || lastDraw.duration(to: now) >= .milliseconds(100) else { return }
            lastDraw = now
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let text = String(format: "\r\u{1B}[Kepoch %d/%d %@ %3.0f%% %d/%d  %.0f samples/s  ETA %@  loss %.4f",
                              epoch + 1, epochs, bar, 100 * fraction, done, samples, rate, Self.clock(eta), runningLoss)
            FileHandle.standardError.write(Data(text.utf8))
            drewBar = true
        } else {
            guard nextPlainTenth < 10, fraction * 10 >= Double(nextPlainTenth) else { return }
            while nextPlainTenth < 10 && fraction * 10 >= Double(nextPlainTenth) { nextPlainTenth += 1 }
            printError(String(format: "epoch %d/%d  %3.0f%%  %d/%d samples  %.0f samples/s  ETA %@  loss %.4f",
                              epoch + 1, epochs, 100 * fraction, done, samples, rate, Self.clock(eta), runningLoss))
        }
    }

    func endEpoch(_ r: EpochRecord) {
        if drewBar {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            drewBar = false
        }
        let test = r.testAccuracy.map { String(format: "test acc %.2f %% (loss %.4f)", 100 * $0, r.testLoss ?? 0) } ?? "no test set"
        printError(String(format: "epoch %d/%d: train loss %.4f, train acc %.2f %%, %@ | %.0f samples/s, %.1f s + %.1f s evaluation",
                          r.epoch, r.epochs, r.trainLoss, 100 * r.trainAccuracy, test, r.samplesPerSecond, r.seconds, r.evaluationSeconds))
    }

    /// m:ss or h:mm:ss.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
