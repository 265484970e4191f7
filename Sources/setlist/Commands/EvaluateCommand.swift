import ArgumentParser
import Evaluation
import Foundation
import Listening
import Tensor
import UserModels

/// `setlist evaluate [cosernn|fsvae|all]`: the papers' evaluations against their baselines, over seeds.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract:
            "Evaluate CoSeRNN (session and track ranking) or FS-VAE (next-track prediction) against the baselines, over several seeds.",
        discussion: """
            cosernn (the default): for each seed, CoSeRNN (and the Vanilla RNN baseline, the state-of-the-art baselines JODIE, LatentCross and VAE-CF, and with --ablations each ablation) is trained on the train part and early-stopped on the validation part; every model then predicts each test session (the last 10% per user) from the sessions before it. Session ranking: MRR and mean rank of the true session among it and its K previous ones (K = 9, 19, 49). Track ranking: MAP, NDCG@10, Recall@10/50 over the pool of recent tracks and over the full catalogue. Ties count against the model. Uses the 40-d track embeddings. Written as Markdown and JSON (default WORKSPACE/results/evaluation), with a per-context breakdown and a paired t-test against the best baseline.

            fsvae: the FS-VAE paper's Tables 1 and 2 on the 80-d track embeddings (`setlist embed --dimension 80`). For each seed, FS-VAE, JODIE, LatentCross, VAE-CF (Docs/baselines.md), the Vanilla RNN, the Aggregate sequence (the mean of the last 5 tracks and the slow features through FS-VAE's decoder) and the four ablations (no fast features, shuffled sequence, no slow features, non-probabilistic) are trained with early stopping on the validation part; Last-5 mean (the untrained mean of the last 5 tracks), Average and Popularity need no training. Every play of the test sessions is predicted from the plays before it: L2 and cosine distance to the next track's embedding, and the next track's rank over the full catalogue (mean rank, MRR, Recall@10), each mean ± std over seeds. Written as Markdown and JSON (default WORKSPACE/results/fsvae-evaluation).

            all: both, CoSeRNN first; --output PREFIX then names PREFIX.md/.json for CoSeRNN and PREFIX-fsvae.md/.json for FS-VAE. Every evaluation is recorded in the workspace's runs table.
            """)

    enum Task: String, ExpressibleByArgument, CaseIterable {
        case cosernn, fsvae, all
    }

    @Argument(help: "cosernn (default), fsvae or all.") var task: Task = .cosernn
    @OptionGroup var workspaceOption: WorkspaceOption
    @OptionGroup var splitOption: SplitOption
    @Option(help: "Seeds to train and average over (every trained model runs once per seed).") var seeds = 3
    @OptionGroup var budget: TrainingBudgetOption
    @Option(help: "Evaluate on the first N users only (quick runs; default all).") var users: Int?
    @Flag(help: "Also train and score CoSeRNN's ablations (FS-VAE's Table 2 always has its ablations).") var ablations = false
    @Flag(help: "Score even when the track space was trained on validation or test sessions; the tables then say so.") var allowLeak = false
    @Option(help: "Output prefix for .md and .json (default WORKSPACE/results/evaluation, or fsvae-evaluation).") var output: String?
    @Option(help: "BLAS threads of each training.") var threads = 1
    @Option(
        help:
            "Trainings run at once (default: one per core, at most 2; the models' matrices are small, so a core each beats two BLAS threads each)."
    ) var jobs: Int?

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        if let users, users < 1 { throw ValidationError("--users must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// Trainings at once: --jobs, or one per core up to 2.
    var concurrentRuns: Int { jobs ?? min(2, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    func run() throws {
        setBLASThreads(threads)
        let context = try WorkspaceContext(path: workspaceOption.path)
        let split = try context.split(splitOption)
        let users = context.users(first: users)
        // Check every track space first: a missing or leaking one fails now, not after an hour of training.
        let cosernn =
            task == .fsvae
            ? nil : try checkedTrackSpace(context, dimension: WorkspaceContext.ModelFile.cosernn.dimension, split: split, users: users)
        let fsvae =
            task == .cosernn
            ? nil : try checkedTrackSpace(context, dimension: WorkspaceContext.ModelFile.fsvae.dimension, split: split, users: users)
        let results = (context.path as NSString).appendingPathComponent("results")
        if let cosernn {
            try evaluateCoSeRNN(
                context, users: users, split: split, space: cosernn,
                prefix: output ?? (results as NSString).appendingPathComponent("evaluation"))
        }
        if let fsvae {
            let prefix =
                output.map { task == .all ? $0 + "-fsvae" : $0 } ?? (results as NSString).appendingPathComponent("fsvae-evaluation")
            try evaluateFSVAE(context, users: users, split: split, space: fsvae, prefix: prefix)
        }
    }

    /// A track space and its leak check; a leak is an error unless --allow-leak.
    private func checkedTrackSpace(_ context: WorkspaceContext, dimension: Int, split: TimeSplit, users: [[Session]]) throws
        -> (tracks: TrackVectors, leak: LeakCheck)
    {
        let space = try context.trackSpace(dimension: dimension)
        let leak = LeakCheck(trackSpaceSplit: space.trainingSplit, evaluationSplit: split, users: users)
        guard leak.isClean || allowLeak else {
            throw CommandError(
                "the \(dimension)-d track space was \(leak.seen); re-run `setlist embed --dimension \(dimension)` with the evaluation's split, or pass --allow-leak"
            )
        }
        return (space.vectors, leak)
    }

    /// CoSeRNN's session and track ranking against its baselines.
    private func evaluateCoSeRNN(
        _ context: WorkspaceContext, users: [[Session]], split: TimeSplit,
        space: (tracks: TrackVectors, leak: LeakCheck), prefix: String
    ) throws {
        let started = RunRecord.now
        let config = budget.coSeRNNConfig(dimension: space.tracks.dimension, vocabulary: context.vocabulary)
        let training = budget.coSeRNNTraining(users: users.count)
        var options = SessionRankingExperiment.Options(
            config: config, training: training, seeds: (0..<seeds).map { UInt64(42 + $0) }, split: split,
            ablations: ablations ? CoSeRNNAblation.allCases : [])
        options.concurrentRuns = concurrentRuns
        let display = TrainingRunsDisplay()
        let comparison = try SessionRankingExperiment.run(
            users: users, tracks: space.tracks, vocabulary: context.vocabulary, options: options,
            leak: space.leak, leakAllowed: allowLeak
        ) { event in
            switch event {
            case .trainingStarted(let model, let seed, let run, let runs):
                display.start(model: model, seed: seed, run: run, runs: runs)
            case .training(let model, let seed, let p):
                display.update(model: model, seed: seed, p, validationLabel: "val")
            case .trained(let model, let seed, let result):
                display.finish(
                    model: model, seed: seed,
                    "best epoch \(result.bestEpoch), validation loss \(String(format: "%.4f", result.bestValidationLoss))")
            case .evaluated(let model, let summary):
                Self.log(String(format: "%@: MRR@19 %.4f, catalogue MAP %.4f", model, summary.mrr[19] ?? .nan, summary.catalogue.map))
            }
        }
        let markdown = comparison.markdown(title: "CoSeRNN: session and track ranking on \((context.path as NSString).lastPathComponent)")
        print(markdown)
        let json = try comparison.json()
        try Self.write(markdown: markdown, json: json, prefix: prefix)
        try context.workspace.recordRun(
            RunRecord(
                kind: "evaluate", model: "cosernn",
                config: try TrainingJSON.encode(
                    CoSeRNNEvaluationConfig(
                        seeds: options.seeds, users: self.users, split: split, allowLeak: allowLeak,
                        cosernn: config, training: training)),
                seed: options.seeds[0], metrics: String(decoding: json, as: UTF8.self), startedAt: started, finishedAt: RunRecord.now))
        print("Wrote \(prefix).md and \(prefix).json")
    }

    /// FS-VAE's Tables 1 and 2: next-track distance and catalogue rank against baselines and ablations.
    private func evaluateFSVAE(
        _ context: WorkspaceContext, users: [[Session]], split: TimeSplit,
        space: (tracks: TrackVectors, leak: LeakCheck), prefix: String
    ) throws {
        let started = RunRecord.now
        let config = budget.fsvaeConfig()
        var options = NextTrackExperiment.Options(config: config, seeds: (0..<seeds).map { UInt64(42 + $0) }, split: split)
        options.concurrentRuns = concurrentRuns
        let display = TrainingRunsDisplay()
        let tables = try NextTrackExperiment.run(users: users, tracks: space.tracks, vocabulary: context.vocabulary, options: options) {
            event in
            switch event {
            case .trainingStarted(let model, let seed, let run, let runs):
                display.start(model: model, seed: seed, run: run, runs: runs)
            case .training(let model, let seed, let p):
                display.update(
                    model: model, seed: seed, p, validationLabel: "val cos", extra: String(format: " %.0f examples/s", p.sessionsPerSecond))
            case .trained(let model, let seed, let report):
                display.finish(model: model, seed: seed, "best epoch \(report.bestEpoch) of \(report.epochs.count)")
            case .trainedBaseline(let model, let seed, let result):
                display.finish(model: model, seed: seed, "best epoch \(result.bestEpoch) of \(result.state.epoch)")
            case .evaluated(let model, let metrics):
                Self.log(
                    String(format: "%@: cosine distance %.4f, L2 %.4f", model, metrics.cosineDistance, metrics.l2Distance)
                        + (metrics.meanRank.map { String(format: ", mean rank %.1f", $0) } ?? "")
                        + (metrics.reciprocalRank.map { String(format: ", MRR %.4f", $0) } ?? ""))
            }
        }
        let report = NextTrackReport(
            workspace: (context.path as NSString).lastPathComponent, users: users.count, tracks: space.tracks,
            setup: NextTrackExperiment.setup(options, leak: space.leak, leakAllowed: allowLeak), config: config, tables: tables)
        print(report.markdown)
        let json = try report.json()
        try Self.write(markdown: report.markdown, json: json, prefix: prefix)
        let runConfig = FSVAEEvaluationConfig(seeds: options.seeds, users: self.users, split: split, allowLeak: allowLeak, fsvae: config)
        try context.workspace.recordRun(
            RunRecord(
                kind: "evaluate", model: "fsvae", config: try TrainingJSON.encode(runConfig),
                seed: options.seeds[0], metrics: String(decoding: json, as: UTF8.self),
                startedAt: started, finishedAt: RunRecord.now))
        print("Wrote \(prefix).md and \(prefix).json")
    }

    /// A progress line on standard error.
    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes the two result files atomically, creating their folder.
    static func write(markdown: String, json: Data, prefix: String) throws {
        try FileManager.default.createDirectory(atPath: FilePaths.parentFolder(of: prefix), withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: prefix + ".md"), options: .atomic)
        try json.write(to: URL(fileURLWithPath: prefix + ".json"), options: .atomic)
    }
}

/// The config of a CoSeRNN evaluation in the runs table.
struct CoSeRNNEvaluationConfig: Encodable {
    var seeds: [UInt64]
    var users: Int?
    var split: TimeSplit
    var allowLeak: Bool
    var cosernn: CoSeRNNConfig
    var training: TrainingOptions
}

/// The config of an FS-VAE evaluation in the runs table.
struct FSVAEEvaluationConfig: Encodable {
    var seeds: [UInt64]
    var users: Int?
    var split: TimeSplit
    var allowLeak: Bool
    var fsvae: FSVAEConfig
}
