// Trains the fully connected network on a few hundred Fashion-MNIST images with Chopped-TTv2
// through CrossbarKit's public API, and says which variant of the pulse kernels ran.
import CrossbarKit

let folder = MNISTFolder()  // the Debian package's Fashion-MNIST (scripts/setup.sh installs it)
let train = try folder.load(.train, limit: 300)
let test = try folder.load(.test, limit: 200)

let configuration = try ConfigurationPresets.configuration("ChoppedTTv2ReRamSB")
let session = try TrainingSession(model: .fc, configuration: configuration, configurationName: "ChoppedTTv2ReRamSB",
                                  train: train, test: test,
                                  options: TrainingOptions(epochs: 2, batchSize: 10, schedule: .constant(0.1)),
                                  seeds: SeedSet(master: 1))
var events = TrainingEvents()
events.epochFinished = { record in
    let accuracy = record.testAccuracy.map { String(format: "%.1f %%", 100 * $0) } ?? "–"
    print("epoch \(record.epoch): train loss \(String(format: "%.4f", record.trainLoss)), test accuracy \(accuracy)")
}
try session.train(outputs: TrainingOutputs(), events: events)

let pulses = session.history.last?.pulsesPerSample["layer0"]?["A"] ?? 0
print("CrossbarKit \(CrossbarKit.version): fc with c-TTv2 trained on \(train.count) samples, \(Int(pulses)) pulses per sample on A of layer 0")
print("kernel variant: \(KernelVariant.current.rawValue) (AVX2 supported: \(KernelVariant.avx2Supported))")
