import ArgumentParser
import Evaluation
import Foundation
import Listening
import Tensor
import UserModels

/// `setlist train cosernn|fsvae|baselines`: fit a model on a workspace and save it under models/.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train CoSeRNN, FS-VAE or the trained baseline on a workspace (needs `setlist embed` first).",
        discussion: """
            Training reads the train part of the split (by default each user's sessions but the last 20%; see --split), stops early on the validation part (the 10% before the last 10%) and never reads the test part. Use the split the track space was trained on (`setlist embed`); a warning says when the track space saw validation or test sessions.

            The model is saved to WORKSPACE/models/NAME.safetensors with its config as metadata, and the run is recorded in the workspace's runs table. A checkpoint is written atomically after every epoch to WORKSPACE/models/NAME.training.safetensors (removed once the model is saved); --resume continues a stopped run from it and ends as an uninterrupted run would.

            CoSeRNN uses the 40-d track embeddings, FS-VAE the 80-d ones (`setlist embed --dimension 80`).

            jodie, latentcross and vaecf train the state-of-the-art baselines (JODIE, LatentCross, VAE-CF; Docs/baselines.md) on the 40-d track embeddings with CoSeRNN's budget (--epochs, --patience, --learning-rate, --batch-size); `setlist recommend --model` and the explorer's model switch (m) then offer them.

            `baselines` trains the one CoSeRNN baseline with weights, the Vanilla RNN (CoSeRNN's LSTM without context inputs, skip split or long-term vector), to models/vanilla-rnn.safetensors; Popularity, Average, Last session, Recency-weighted and Context average are computed from the history at prediction time and have nothing to train.
            """)

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case cosernn, fsvae, jodie, latentcross, vaecf, baselines
    }

    @Argument(help: "cosernn, fsvae, jodie, latentcross, vaecf or baselines.") var model: Model
    @OptionGroup var workspaceOption: WorkspaceOption
    @OptionGroup var splitOption: SplitOption
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @OptionGroup var budget: TrainingBudgetOption
    @Option(help: "BLAS threads.") var threads = 2
    @Flag(help: "Continue from the training checkpoint an interrupted run left (models/NAME.training.safetensors).") var resume = false
    @Option(help: "Train on the first N users only (quick runs; default all).") var users: Int?

    func validate() throws {
        if let users, users < 1 { throw ValidationError("--users must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        setBLASThreads(threads)
        let context = try WorkspaceContext(path: workspaceOption.path)
        let started = RunRecord.now
        let output = URL(
            fileURLWithPath: model == .baselines
                ? (context.path as NSString).appendingPathComponent("models/vanilla-rnn.safetensors")
                : (WorkspaceContext.ModelFile(rawValue: model.rawValue) ?? .cosernn).path(in: context.path))
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        announceResume(Self.checkpointURL(for: output))
        switch model {
        case .cosernn: try trainCoSeRNN(context, output: output, started: started)
        case .fsvae: try trainFSVAE(context, output: output, started: started)
        case .jodie, .latentcross, .vaecf:
            guard let baseline = StateOfTheArtBaseline(rawValue: model.rawValue) else { return }
            print(
                try Self.trainStateOfTheArt(
                    baseline, context, split: context.split(splitOption), users: users, output: output,
                    resume: resume, started: started, reporter: TrainingReporter.bar("train \(baseline.name)"),
                    options: { budget.coSeRNNTraining(users: $0, seed: seed) }))
        case .baselines:
            print("Popularity, Average, Last session, Recency-weighted and Context average need no training.")
            try trainCoSeRNN(context, output: output, started: started, vanilla: true)
        }
    }

    /// Trains CoSeRNN, or with `vanilla` its Vanilla RNN baseline, and saves it to `output`.
    private func trainCoSeRNN(_ context: WorkspaceContext, output: URL, started: Int64, vanilla: Bool = false) throws {
        let name = vanilla ? "Vanilla RNN" : "CoSeRNN"
        let reporter = TrainingReporter.bar("train \(name)")
        let line = try Self.trainCoSeRNN(
            context, split: context.split(splitOption), users: users, output: output, resume: resume,
            vanilla: vanilla, started: started, reporter: reporter,
            config: { budget.coSeRNNConfig(dimension: $0, vocabulary: context.vocabulary, seed: seed) },
            options: { budget.coSeRNNTraining(users: $0, seed: seed) })
        print(line)
    }

    private func trainFSVAE(_ context: WorkspaceContext, output: URL, started: Int64) throws {
        let reporter = TrainingReporter.bar("train FS-VAE")
        print(
            try Self.trainFSVAE(
                context, split: context.split(splitOption), config: budget.fsvaeConfig(seed: seed), users: users,
                output: output, resume: resume, started: started, reporter: reporter))
    }

    /// Trains CoSeRNN (or the Vanilla RNN), saves it to `output`, records the run and returns the summary lines.
    ///
    /// `config` makes the model's config for the track space's dimension, `options` the loop's for the number of training users.
    static func trainCoSeRNN(
        _ context: WorkspaceContext, split: TimeSplit, users: Int?, output: URL, resume: Bool, vanilla: Bool = false,
        started: Int64, reporter: TrainingReporter,
        config makeConfig: (Int) -> CoSeRNNConfig, options makeOptions: (Int) -> TrainingOptions
    ) throws -> String {
        let tracks = try trackSpace(context, dimension: WorkspaceContext.ModelFile.cosernn.dimension, split: split)
        let full = makeConfig(tracks.dimension)
        let config = vanilla ? full.vanillaRNN() : full
        let name = vanilla ? "Vanilla RNN" : "CoSeRNN"
        let model = try CoSeRNN(config: config, tracks: tracks, name: name)
        let trainingUsers = context.users(first: users)
        let options = makeOptions(trainingUsers.count)
        let checkpoint = checkpointURL(for: output)
        let result = try model.train(users: trainingUsers, split: split, options: options, checkpoint: checkpoint, resume: resume) { p in
            reporter.report(
                p,
                detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))"
                    + (p.validationLoss.map { String(format: " val %.4f", $0) } ?? "")
                    + String(format: " %.0f sessions/s", p.sessionsPerSecond))
            if p.phase == .epochEnd { reporter.note(name + " " + epochLine(p)) }
        }
        reporter.finish("best validation loss \(String(format: "%.4f", result.bestValidationLoss))")
        try model.save(to: output)
        try? FileManager.default.removeItem(at: checkpoint)
        try context.workspace.recordRun(
            RunRecord(
                kind: "train", model: vanilla ? "vanilla-rnn" : "cosernn", config: model.configJSON,
                seed: config.seed, metrics: try TrainingJSON.encode(result), startedAt: started,
                finishedAt: RunRecord.now))
        var lines =
            "Saved \(name) to \(output.path) (best validation loss \(String(format: "%.4f", result.bestValidationLoss)) at epoch \(result.bestEpoch))."
        if !vanilla { lines += "\n" + mixtureLine(model.mixture(users: trainingUsers, split: split, part: .validation)) }
        return lines
    }

    /// Trains FS-VAE, saves it to `output`, records the run and returns the summary line.
    static func trainFSVAE(
        _ context: WorkspaceContext, split: TimeSplit, config: FSVAEConfig, users: Int?,
        output: URL, resume: Bool, started: Int64, reporter: TrainingReporter, scoresAllValidation: Bool = true
    ) throws -> String {
        let tracks = try trackSpace(context, dimension: WorkspaceContext.ModelFile.fsvae.dimension, split: split)
        let model = try FSVAE(config: config, dimension: tracks.dimension)
        let checkpoint = checkpointURL(for: output)
        let report = try model.train(
            users: context.users(first: users), tracks: tracks, split: split, checkpoint: checkpoint, resume: resume,
            scoresAllValidation: scoresAllValidation,
            progress: { epoch in
                guard config.isRecurrent else { return }
                reporter.note(
                    "FS-VAE epoch \(epoch.epoch): "
                        + String(
                            format: "reconstruction %.4f, KL %.3f nats/example", epoch.trainingReconstruction ?? .nan, epoch.trainingKL)
                        + (epoch.posterior.map { "; validation posterior: " + $0.summary } ?? ""))
            },
            batchProgress: { p in
                reporter.report(
                    p,
                    detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))"
                        + (p.validationLoss.map { String(format: " val cos %.4f", $0) } ?? "")
                        + String(format: " %.0f examples/s", p.sessionsPerSecond))
                if p.phase == .epochEnd { reporter.note("FS-VAE " + epochLine(p)) }
            })
        reporter.finish("best epoch \(report.bestEpoch)")
        try model.save(to: output)
        try? FileManager.default.removeItem(at: checkpoint)
        try context.workspace.recordRun(
            RunRecord(
                kind: "train", model: "fsvae", config: try TrainingJSON.encode(config), seed: config.seed,
                metrics: try TrainingJSON.encode(report), startedAt: started, finishedAt: RunRecord.now))
        return "Saved FS-VAE to \(output.path) (best epoch \(report.bestEpoch) of \(report.epochs.count)"
            + (report.resumedEpochs > 0 ? ", \(report.resumedEpochs) of them from the checkpoint" : "")
            + ", \(report.trainingExamples) training examples"
            + (config.validationExamples == nil
                ? ""
                : String(
                    format: "; validation cosine distance %.4f on a fixed sample of %@ examples", report.bestValidationCosine ?? .nan,
                    Format.grouped(report.validationExamples ?? 0))
                    + (report.allValidationCosineDistance.map { String(format: ", %.4f on all of them", $0) } ?? "")) + ")."
    }

    /// Trains a state-of-the-art baseline on the 40-d track space with CoSeRNN's budget, saves it and records the run.
    static func trainStateOfTheArt(
        _ baseline: StateOfTheArtBaseline, _ context: WorkspaceContext, split: TimeSplit, users: Int?,
        output: URL, resume: Bool, started: Int64, reporter: TrainingReporter,
        options makeOptions: (Int) -> TrainingOptions
    ) throws -> String {
        let file = WorkspaceContext.ModelFile(rawValue: baseline.rawValue) ?? .cosernn
        let tracks = try trackSpace(context, dimension: file.dimension, split: split)
        let trainingUsers = context.users(first: users)
        let options = makeOptions(trainingUsers.count)
        let checkpoint = checkpointURL(for: output)
        let trained = try baseline.train(
            users: trainingUsers, tracks: tracks, vocabulary: context.vocabulary, split: split,
            options: options, checkpoint: checkpoint, resume: resume
        ) { p in
            reporter.report(
                p,
                detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))"
                    + (p.validationLoss.map { String(format: " val %.4f", $0) } ?? ""))
            if p.phase == .epochEnd { reporter.note(baseline.name + " " + epochLine(p)) }
        }
        reporter.finish("best validation loss \(String(format: "%.4f", trained.result.bestValidationLoss))")
        try trained.save(to: output)
        try? FileManager.default.removeItem(at: checkpoint)
        try context.workspace.recordRun(
            RunRecord(
                kind: "train", model: baseline.rawValue,
                config: try TrainingJSON.encode(StateOfTheArtRunConfig(model: baseline, training: options)),
                seed: options.seed, metrics: try TrainingJSON.encode(trained.result),
                startedAt: started, finishedAt: RunRecord.now))
        return
            "Saved \(baseline.name) to \(output.path) (best validation loss \(String(format: "%.4f", trained.result.bestValidationLoss)) at epoch \(trained.result.bestEpoch))."
    }

    /// The track vectors of `dimension`, with a warning when they were fitted on sessions the split holds out.
    static func trackSpace(_ context: WorkspaceContext, dimension: Int, split: TimeSplit) throws -> TrackVectors {
        let space = try context.trackSpace(dimension: dimension)
        let leak = LeakCheck(trackSpaceSplit: space.trainingSplit, evaluationSplit: split, users: context.users)
        if !leak.isClean {
            FileHandle.standardError.write(
                Data(
                    "warning: the \(dimension)-d track space was \(leak.seen); run `setlist embed --dimension \(dimension)` with this split so no held-out session shapes the model's inputs\n"
                        .utf8))
        }
        return space.vectors
    }

    /// How the trained gate mixes û and ū on the validation sessions (why a model follows its recent sessions or the user's average).
    static func mixtureLine(_ m: CoSeRNNMixture) -> String {
        guard let weight = m.shortTermWeight else {
            return String(format: "No long-term vector: û alone (mean length %.2f).", m.shortTermLength)
        }
        return String(
            format:
                "Gate on %d validation sessions: weight of û %.2f, of ū %.2f; mean ‖û‖ %.2f, so û makes %.0f%% of the mixed vector and ū %.0f%%.",
            m.sessions, weight, 1 - weight, m.shortTermLength, 100 * m.shortTermShare, 100 * (1 - m.shortTermShare))
    }

    /// One epoch's losses as a line of the learning curve (the runs table keeps the whole curve).
    static func epochLine(_ p: TrainingProgress) -> String {
        "epoch \(p.epoch)/\(p.maxEpochs): loss \(String(format: "%.4f", p.loss))"
            + (p.validationLoss.map { String(format: ", validation %.4f", $0) } ?? "") + (p.improved ? " (best)" : "")
    }

    /// Where a stopped run of the model saved to `output` leaves its training checkpoint.
    static func checkpointURL(for output: URL) -> URL {
        output.deletingPathExtension().appendingPathExtension("training.safetensors")
    }

    /// Says whether --resume has a checkpoint to continue from.
    func announceResume(_ checkpoint: URL) {
        guard resume else { return }
        let message =
            FileManager.default.fileExists(atPath: checkpoint.path)
            ? "Resuming from \(checkpoint.path)\n"
            : "No checkpoint at \(checkpoint.path); starting from scratch\n"
        FileHandle.standardError.write(Data(message.utf8))
    }
}

/// The config of a state-of-the-art baseline's training run in the runs table.
struct StateOfTheArtRunConfig: Encodable {
    var model: StateOfTheArtBaseline
    var training: TrainingOptions
}
