import ArgumentParser
import CrossbarKit
import Foundation

/// `crossbar train`: trains a network on MNIST-format data with any tile configuration, with
/// progress, per-epoch metrics and checkpoints that resume bit-identically (docs/training.md).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network (fc, lenet5) on Fashion-MNIST or any MNIST-format data, or the character model lstm on a text, with analog tiles.",
        discussion: """
            Every analog layer uses the tile configuration --config: a preset name (e.g. ReRamSB, TTv2ReRamSB, \
            ChoppedTTv2ReRamSB, AGADReRamSB, fp) or a configuration JSON file. Progress goes to stderr (a bar on a \
            terminal, plain lines otherwise), one JSON line per epoch to --metrics, a summary table to stdout. \
            With --checkpoint the complete state is written atomically every --checkpoint-every-epochs epochs and at \
            the end; --resume continues such a run bit-identically (the other options must be those of the run \
            that wrote it). See docs/training.md.
            """
    )

    @Option(help: "Model: fc (784-256-128-10, sigmoid), lenet5, or lstm (character model on a UTF-8 text).") var model: ModelName = .fc
    @Option(help: "Tile configuration: a preset name or a JSON file (fp = floating point).") var config: String
    @Option(help: "Number of epochs (≥ 1; with --resume: the total, including the epochs already done).") var epochs: Int = 1
    @Option(help: "Mini-batch size (≥ 1).") var batchSize: Int = 10
    @Option(parsing: .unconditional, help: "Learning rate (> 0; of the batch-mean loss, as in torch).") var lr = NumberArgument(0.1)
    @Option(help: "Learning-rate schedule.") var lrSchedule: LearningRateScheduleKind = .constant
    @Option(help: "Epochs between decays of the step schedule (≥ 1).") var lrStepSize: Int = 1
    @Option(parsing: .unconditional, help: "Decay factor of the step and multi_step schedules, in (0, 1].") var lrGamma = NumberArgument(0.1)
    @Option(help: "Comma-separated epochs (0-based, increasing, ≥ 1) at which multi_step decays.") var lrMilestones: String?
    @Option(parsing: .unconditional, help: "Master seed of all random streams (an integer in 0…2⁶⁴ − 1).") var seed = SeedArgument(1)
    @Option(help: "Use the first N training samples (default: all).") var trainSamples: Int?
    @Option(help: "Use the first N test samples (default: all; 0 = no test evaluation).") var testSamples: Int?
    @Option(help: "Batch size of test evaluations (≥ 1).") var evalBatchSize: Int = 100
    @Option(help: "Threads for the kernels (1…256); results do not depend on it.") var threads: Int = 1
    @Option(help: "Append one JSON line per epoch to this file.") var metrics: String?
    @Option(help: "Write checkpoints to this file (atomically).") var checkpoint: String?
    @Option(help: "Write a checkpoint every K epochs (≥ 1) and at the end.") var checkpointEveryEpochs: Int = 1
    @Option(help: "Resume from this checkpoint file.") var resume: String?
    @Option(help: "fc, lenet5: folder of MNIST-format files (default: Fashion-MNIST of the Debian package). lstm: a UTF-8 text file (default: the fortunes texts of the Debian package).")
    var data: String?
    @Option(help: "lstm: hidden size of every LSTM layer (1…4096).") var hiddenSize: Int = 64
    @Option(help: "lstm: number of LSTM layers (1…16).") var layers: Int = 2
    @Option(help: "lstm: characters per training sequence (≥ 1, shorter than every part of the text).") var sequenceLength: Int = 100
    @Option(parsing: .unconditional, help: "lstm: dropout probability between LSTM layers, in [0, 1).") var dropout = NumberArgument(0.2)
    @Flag(help: "No progress output (epoch lines and the summary are still printed).") var quiet = false
    @Flag(help: "Print the resolved configuration JSON and exit.") var printConfig = false

    func run() throws {
        try reportingErrors { try train() }
    }

    /// Options that can be checked before anything is loaded.
    func validateOptions() throws {
        _ = try seed.value()
        func bad(_ field: String, _ value: Any, _ allowed: String) -> CrossbarError {
            .invalidParameter(field: field, value: "\(value)", allowed: allowed)
        }
        guard epochs >= 1 && epochs <= 1_000_000 else { throw bad("--epochs", epochs, "1…1000000") }
        guard batchSize >= 1 && batchSize <= 1_000_000 else { throw bad("--batch-size", batchSize, "1…1000000") }
        guard try lr.float(field: "--lr", allowed: "a finite number > 0") > 0 else { throw bad("--lr", lr, "a finite number > 0") }
        _ = try lrGamma.float(field: "--lr-gamma", allowed: "a number in (0, 1]")
        guard threads >= 1 && threads <= 256 else { throw bad("--threads", threads, "1…256") }
        guard evalBatchSize >= 1 && evalBatchSize <= 1_000_000 else { throw bad("--eval-batch-size", evalBatchSize, "1…1000000") }
        guard checkpointEveryEpochs >= 1 else { throw bad("--checkpoint-every-epochs", checkpointEveryEpochs, "≥ 1") }
        if let n = trainSamples, n < 1 { throw bad("--train-samples", n, "≥ 1 (at most the size of the training set)") }
        if let n = testSamples, n < 0 { throw bad("--test-samples", n, "≥ 0 (0 = no test evaluation; at most the size of the test set)") }
    }

    /// Every file and folder the command reads and writes. The checkpoint may be the file it
    /// resumes from (a run that keeps checkpointing one file); the metrics file is appended to.
    func files() -> OutputGuard {
        var files = OutputGuard()
        files.readsFile("--config", presetFile(config))
        files.readsFile("--resume", resume)
        if model == .lstm {
            files.readsFile("--data", data)
        } else {
            files.readsFolder("--data", data ?? MNISTFolder.defaultFashionMNISTPath)
        }
        files.appendsTo("--metrics", metrics)
        files.writesFile("--checkpoint", checkpoint, inPlaceOf: ["--resume"])
        return files
    }

    func schedule() throws -> LearningRateSchedule {
        var s = LearningRateSchedule.constant(try lr.float(field: "--lr"))
        s.kind = lrSchedule
        s.stepSize = lrStepSize
        s.gamma = try lrGamma.float(field: "--lr-gamma")
        if let lrMilestones {
            let parts = lrMilestones.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.compactMap { Int($0) }
            guard values.count == parts.count, !values.isEmpty else {
                throw CrossbarError.invalidParameter(field: "--lr-milestones", value: "'\(lrMilestones)'",
                                                     allowed: "comma-separated integers ≥ 1, strictly increasing")
            }
            s.milestones = values
        }
        do { try s.validate() } catch let e as CrossbarError {
            let flags = ["learning_rate": "--lr", "step_size": "--lr-step-size", "gamma": "--lr-gamma", "milestones": "--lr-milestones"]
            if case let .invalidParameter(field, value, allowed) = e {
                // Show the number as typed.
                let typed = ["learning_rate": lr.text, "gamma": lrGamma.text][field] ?? value
                throw CrossbarError.invalidParameter(field: flags[field] ?? field, value: typed, allowed: allowed)
            }
            throw e
        }
        return s
    }

    func train() throws {
        try validateOptions()
        try files().check()
        let configuration = try resolveConfiguration(config)
        if printConfig { print(configuration.toJSON()); return }
        let modelName = model
        let options = TrainingOptions(epochs: epochs, batchSize: batchSize, schedule: try schedule(), evaluationBatchSize: evalBatchSize)
        try options.validate()

        if modelName == .lstm { return try trainLSTM(configuration: configuration, options: options) }
        let folder = MNISTFolder(path: data ?? MNISTFolder.defaultFashionMNISTPath)
        let train = try folder.load(.train, limit: trainSamples, limitField: "--train-samples")
        let test: Dataset? = testSamples == 0 ? nil : try folder.load(.test, limit: testSamples, limitField: "--test-samples", shape: train.shape)
        ParallelExecutor.threadCount = threads

        let session = try TrainingSession(model: modelName, configuration: configuration, configurationName: config,
                                          train: train, test: test, options: options, seeds: SeedSet(master: try seed.value()))
        printError("""
            crossbar train: model \(modelName) on \(train.name) (\(train.count) samples) / \(test.map { "\($0.name) (\($0.count) samples)" } ?? "no test set")
              configuration \(config) (\(TrainingReport.algorithm(of: configuration).rawValue)), epochs \(epochs), batch \(batchSize), \
            lr \(lr) (\(options.schedule.kind.rawValue)), seed \(seed), threads \(threads)
            \(session.network.description)
            """)

        let progress = TrainingProgress(epochs: epochs, quiet: quiet)
        var events = TrainingEvents()
        events.resumed = { done, dropped in
            printError("resumed from \(resume ?? ""): \(done) of \(epochs) epochs done")
            if dropped > 0, let metrics { printError("\(metrics): removed \(dropped) line(s) written after the checkpoint") }
        }
        events.epochStarted = { epoch, batches, samples in progress.startEpoch(epoch, batches: batches, samples: samples) }
        events.batchFinished = { p, s in
            progress.batch(p, samples: s.samples, seconds: s.seconds, runningLoss: s.lossSum / Double(max(s.samples, 1)))
            return true
        }
        events.epochFinished = { progress.endEpoch($0) }
        let outputs = TrainingOutputs(checkpoint: checkpoint, checkpointEveryEpochs: checkpointEveryEpochs, metrics: metrics)
        try session.train(outputs: outputs, resumeFrom: resume, events: events)
        print(TrainingReport.epochTable(session.history))
    }

    /// `--model lstm`: the character model on `--data` (or the fortunes corpus).
    func trainLSTM(configuration: TileConfiguration, options: TrainingOptions) throws {
        let modelOptions = LSTMModelOptions(hiddenSize: hiddenSize, layers: layers,
                                            dropout: try dropout.float(field: "--dropout", allowed: "a number in [0, 1)"))
        do { try modelOptions.validate() } catch let e as CrossbarError {
            if case let .invalidParameter(field, value, allowed) = e {
                let flags = ["hidden_size": "--hidden-size", "layers": "--layers", "dropout": "--dropout"]
                throw CrossbarError.invalidParameter(field: flags[field] ?? field, value: field == "dropout" ? dropout.text : value, allowed: allowed)
            }
            throw e
        }
        guard sequenceLength >= 1 else {
            throw CrossbarError.invalidParameter(field: "--sequence-length", value: "\(sequenceLength)", allowed: "≥ 1")
        }
        for (flag, value) in [("--train-samples", trainSamples), ("--test-samples", testSamples)] {
            if let value {
                throw CrossbarError.invalidParameter(field: flag, value: "\(value)",
                                                     allowed: "nothing with --model lstm (the text's 90/5/5 split decides the parts)")
            }
        }
        let corpus = try data.map { try CharacterCorpus.load(path: $0) } ?? CharacterCorpus.fortunes()
        ParallelExecutor.threadCount = threads
        let session: CharacterTrainingSession
        do {
            session = try CharacterTrainingSession(corpus: corpus, modelOptions: modelOptions, sequenceLength: sequenceLength,
                                                   configuration: configuration, configurationName: config, options: options,
                                                   seeds: SeedSet(master: try seed.value()))
        } catch let CrossbarError.invalidParameter(field, value, allowed) where field == "sequence_length" {
            throw CrossbarError.invalidParameter(field: "--sequence-length", value: value, allowed: allowed)
        }
        printError("""
            crossbar train: model lstm on \(corpus.name) (\(corpus.train.count) / \(corpus.validation.count) / \(corpus.test.count) \
            characters for training / validation / test, vocabulary \(corpus.vocabularySize)\
            \(corpus.unknownDropped > 0 ? ", \(corpus.unknownDropped) evaluation characters unknown to the training part left out" : ""))
              configuration \(config) (\(TrainingReport.algorithm(of: configuration).rawValue)), epochs \(epochs), batch \(batchSize) × \
            \(sequenceLength) characters, lr \(lr) (\(options.schedule.kind.rawValue)), seed \(seed), threads \(threads)
            \(session.model.description)
            """)
        let outputs = TrainingOutputs(checkpoint: checkpoint, checkpointEveryEpochs: checkpointEveryEpochs, metrics: metrics)
        try session.train(outputs: outputs, resumeFrom: resume, onResume: { done, dropped in
            printError("resumed from \(resume ?? ""): \(done) of \(epochs) epochs done")
            if dropped > 0, let metrics { printError("\(metrics): removed \(dropped) line(s) written after the checkpoint") }
        }, onBatch: { p, _ in
            if !quiet && (p.batchIndex + 1) % 50 == 0 {
                printError("  epoch \(p.epoch + 1) batch \(p.batchIndex + 1)/\(p.batchCount) loss \(String(format: "%.4f", p.loss)) nats/char")
            }
            return true
        }, onEpoch: { r in
            let m = r.metrics
            printError(String(format: "epoch %d/%d: train %.4f nats/char, validation %.4f (perplexity %.3f, accuracy %.2f %%), "
                              + "test %.4f (perplexity %.3f, accuracy %.2f %%), %.0f characters/s",
                              m.epoch, epochs, m.trainLoss, m.validation.loss, m.validation.perplexity, 100 * m.validation.accuracy,
                              m.test.loss, m.test.perplexity, 100 * m.test.accuracy, m.charactersPerSecond))
        })
        print("| epoch | train nats/char | validation nats/char | validation perplexity | validation accuracy | test nats/char | test perplexity | test accuracy |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in session.history {
            let m = r.metrics
            print(String(format: "| %d | %.4f | %.4f | %.3f | %.2f %% | %.4f | %.3f | %.2f %% |", m.epoch, m.trainLoss, m.validation.loss,
                         m.validation.perplexity, 100 * m.validation.accuracy, m.test.loss, m.test.perplexity, 100 * m.test.accuracy))
        }
    }
}

/// `crossbar train-report`: a comparison table of the runs in metrics files.
struct TrainReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-report",
        abstract: "Compare training runs: one row per run of the given metrics files (its last epoch)."
    )

    @Argument(help: "Metrics files written by `crossbar train --metrics`.") var files: [String]

    func run() throws {
        try reportingErrors {
            guard !files.isEmpty else {
                throw CrossbarError.invalidParameter(field: "files", value: "none", allowed: "one or more metrics files")
            }
            var records: [EpochRecord] = []
            for f in files {
                let r = try MetricsLog(path: f).records()
                guard !r.isEmpty else { throw CrossbarError.file(path: f, reason: "holds no epoch records") }
                for d in TrainingReport.duplicateEpochs(r) {
                    printError("warning: \(f): run \(d.run.prefix(16)) (\(d.threads) threads) has epoch \(d.epoch) \(d.count) times "
                               + "(a run started again without --resume, or two runs writing one file); the table uses the last")
                }
                records += r
            }
            print(TrainingReport.comparisonTable(records))
        }
    }
}
