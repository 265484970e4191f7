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
        abstract: "Evaluate CoSeRNN (session and track ranking) or FS-VAE (next-track prediction) against the baselines, over several seeds.",
        discussion: """
            cosernn (the default): for each seed, CoSeRNN (and the Vanilla RNN baseline, and with
            --ablations each ablation) is trained on the train part and early-stopped on the validation
            part; every model then predicts each test session (the last 10% per user) from the sessions
            before it. Session ranking: MRR and mean rank of the true session among it and its K previous
            ones (K = 9, 19, 49). Track ranking: MAP, NDCG@10, Recall@10/50 over the pool of recent
            tracks and over the full catalogue. Ties count against the model. Uses the 40-d track
            embeddings. Written as Markdown and JSON (default WORKSPACE/results/evaluation), with a
            per-context breakdown and a paired t-test against the best baseline.

            fsvae: the FS-VAE paper's Tables 1 and 2 on the 80-d track embeddings (`setlist embed
            --dimension 80`). For each seed, FS-VAE, the Vanilla RNN and the four ablations (no fast
            features, shuffled sequence, no slow features, non-probabilistic) are trained with early
            stopping on the validation part; Aggregate sequence, Average and Popularity need no
            training. Every play of the test sessions is predicted from the plays before it: L2 and
            cosine distance to the next track's embedding, and the next track's rank over the full
            catalogue (mean rank, MRR, Recall@10), each mean ± std over seeds. Written as Markdown and
            JSON (default WORKSPACE/results/fsvae-evaluation).

            all: both, CoSeRNN first; --output PREFIX then names PREFIX.md/.json for CoSeRNN and
            PREFIX-fsvae.md/.json for FS-VAE. Every evaluation is recorded in the workspace's runs table.
            """)

    enum Task: String, ExpressibleByArgument, CaseIterable {
        case cosernn, fsvae, all
    }

    @Argument(help: "cosernn (default), fsvae or all.") var task: Task = .cosernn
    @OptionGroup var workspaceOption: WorkspaceOption
    @Option(help: "Seeds to train and average over.") var seeds = 3
    @Option(help: "Maximum training epochs per model (default: CoSeRNN 30, FS-VAE 10; early stopping usually ends sooner).") var epochs: Int?
    @Option(help: "LSTM hidden size (default: CoSeRNN 400, FS-VAE 128).") var hidden: Int?
    @Option(help: "Evaluate on the first N users only (quick runs; default all).") var users: Int?
    @Flag(help: "Also train and score CoSeRNN's ablations (FS-VAE's Table 2 always has its ablations).") var ablations = false
    @Option(help: "Output prefix for .md and .json (default WORKSPACE/results/evaluation, or fsvae-evaluation).") var output: String?
    @Option(help: "BLAS threads.") var threads = 2

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let hidden, hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if let users, users < 1 { throw ValidationError("--users must be at least 1") }
    }

    func run() throws {
        setBLASThreads(threads)
        let context = try WorkspaceContext(path: workspaceOption.path)
        // Load every track space first: a missing one fails now, not after an hour of training.
        let cosernnTracks = task == .fsvae ? nil : try context.tracks(dimension: WorkspaceContext.ModelFile.cosernn.dimension)
        let fsvaeTracks = task == .cosernn ? nil : try context.tracks(dimension: WorkspaceContext.ModelFile.fsvae.dimension)
        let results = (context.path as NSString).appendingPathComponent("results")
        if let cosernnTracks {
            try evaluateCoSeRNN(context, tracks: cosernnTracks, prefix: output ?? (results as NSString).appendingPathComponent("evaluation"))
        }
        if let fsvaeTracks {
            let prefix = output.map { task == .all ? $0 + "-fsvae" : $0 } ?? (results as NSString).appendingPathComponent("fsvae-evaluation")
            try evaluateFSVAE(context, tracks: fsvaeTracks, prefix: prefix)
        }
    }

    /// CoSeRNN's session and track ranking against its baselines.
    private func evaluateCoSeRNN(_ context: WorkspaceContext, tracks: TrackVectors, prefix: String) throws {
        let users = context.users(first: users)
        let epochs = self.epochs ?? 30
        let hidden = self.hidden ?? 400
        let protocolSpec = SessionRankingProtocol()
        let split = TimeSplit()
        let started = RunRecord.now
        var runs: [ModelComparison.Run] = []

        // Parameter-free baselines: the same on every seed.
        let training = users.flatMap { sessions in sessions[split.ranges(count: sessions.count).train] }
        let fixed: [UserModel] = [PopularityBaseline(tracks: tracks, sessions: training), AverageBaseline(tracks: tracks),
                                  LastSessionBaseline(tracks: tracks), RecencyWeightedBaseline(tracks: tracks),
                                  ContextAverageBaseline(tracks: tracks)]
        for model in fixed {
            let outcomes = protocolSpec.evaluate(model, users: users, tracks: tracks)
            runs.append(.init(name: model.name, isBaseline: true, outcomesPerSeed: Array(repeating: outcomes, count: seeds)))
        }

        // Trained models, one per seed.
        var variants: [(name: String, isBaseline: Bool, config: (UInt64) -> CoSeRNNConfig)] = []
        let base = { (seed: UInt64) in
            CoSeRNNConfig(dimension: tracks.dimension, deviceCount: context.vocabulary.devices.count,
                          sourceCount: context.vocabulary.sources.count, hiddenSize: hidden, seed: seed)
        }
        variants.append(("Vanilla RNN", true, { base($0).vanillaRNN() }))
        variants.append(("CoSeRNN", false, base))
        if ablations {
            for ablation in CoSeRNNAblation.allCases { variants.append(("CoSeRNN \(ablation.rawValue)", false, { base($0).ablated(ablation) })) }
        }
        for variant in variants {
            var perSeed: [[SessionOutcome]] = []
            for seed in 0..<seeds {
                let model = CoSeRNN(config: variant.config(UInt64(42 + seed)), tracks: tracks, name: variant.name)
                let bar = ProgressBar("\(variant.name) seed \(seed + 1)/\(seeds)", total: 1, unit: "batches")
                var batches = 0
                try model.train(users: users, split: split, options: TrainingOptions(maxEpochs: epochs, seed: UInt64(42 + seed))) { p in
                    batches = (p.epoch - 1) * p.batchesPerEpoch + p.batch
                    bar.update(batches, total: p.maxEpochs * p.batchesPerEpoch,
                               detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))" + (p.validationLoss.map { String(format: " val %.4f", $0) } ?? ""))
                }
                bar.finish(batches)
                perSeed.append(protocolSpec.evaluate(model, users: users, tracks: tracks))
            }
            runs.append(.init(name: variant.name, isBaseline: variant.isBaseline, outcomesPerSeed: perSeed))
        }

        let comparison = ModelComparison(runs: runs, ks: protocolSpec.ks, vocabulary: context.vocabulary)
        let markdown = comparison.markdown(title: "CoSeRNN: session and track ranking on \((context.path as NSString).lastPathComponent)")
        print(markdown)
        try Self.write(markdown: markdown, json: comparison.json(), prefix: prefix)
        if let best = comparison.bestBaseline {
            for metric in ["MRR@19", "cat MAP"] {
                if let gain = comparison.relativeGain(of: "CoSeRNN", over: best, metric: metric) {
                    print("CoSeRNN vs \(best) on \(metric): \(String(format: "%+.1f%%", gain * 100))")
                }
            }
        }
        try context.workspace.recordRun(RunRecord(kind: "evaluate", model: "cosernn", config: "{\"seeds\":\(seeds),\"epochs\":\(epochs),\"hidden\":\(hidden)"
                                                      + (self.users.map { ",\"users\":\($0)" } ?? "") + "}",
                                                  seed: 42, metrics: String(decoding: try comparison.json(), as: UTF8.self),
                                                  startedAt: started, finishedAt: RunRecord.now))
        print("Wrote \(prefix).md and \(prefix).json")
    }

    /// FS-VAE's Tables 1 and 2: next-track distance and catalogue rank against baselines and ablations.
    private func evaluateFSVAE(_ context: WorkspaceContext, tracks: TrackVectors, prefix: String) throws {
        let users = context.users(first: users)
        let started = RunRecord.now
        var config = FSVAEConfig()
        if let epochs { config.epochs = epochs }
        if let hidden { config.sequentialHidden = hidden }
        let options = NextTrackExperiment.Options(config: config, seeds: (0..<seeds).map { UInt64(42 + $0) })
        var bar: ProgressBar?
        var batches = 0
        let (table1, table2) = try NextTrackExperiment.run(users: users, tracks: tracks, options: options) { event in
            switch event {
            case .trainingStarted(let model, let seed, let run, let runs):
                batches = 0
                bar = ProgressBar("[\(run)/\(runs)] \(model) seed \(seed)", total: 1, unit: "batches")
            case .training(let p):
                batches = (p.epoch - 1) * p.batchesPerEpoch + p.batch
                bar?.update(batches, total: p.maxEpochs * p.batchesPerEpoch,
                            detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))"
                                + (p.validationLoss.map { String(format: " val cos %.4f", $0) } ?? "")
                                + String(format: " %.0f examples/s", p.sessionsPerSecond))
            case .trained(_, _, let report):
                bar?.finish(batches, detail: "best epoch \(report.bestEpoch) of \(report.epochs.count)")
                bar = nil
            case .evaluated(let model, let metrics):
                Self.log(String(format: "%@: cosine distance %.4f, L2 %.4f", model, metrics.cosineDistance, metrics.l2Distance)
                    + (metrics.meanRank.map { String(format: ", mean rank %.1f", $0) } ?? "")
                    + (metrics.reciprocalRank.map { String(format: ", MRR %.4f", $0) } ?? ""))
            }
        }

        let name = (context.path as NSString).lastPathComponent
        let plays = table1.rows.first?.runs.first?.count ?? 0
        let markdown = [
            "## FS-VAE: next-track prediction on \(name)", "",
            "\(Format.grouped(plays)) test plays of \(Format.grouped(users.count)) users (the last 10% of each user's sessions), "
                + "each predicted from the plays before it; the rank is over the full catalogue of \(Format.grouped(tracks.count)) tracks "
                + "(\(tracks.dimension)-d embeddings), ties against the model. Trained models: up to \(config.epochs) epochs with early "
                + "stopping on the validation sessions, seeds \(options.seeds.map(String.init).joined(separator: ", ")).", "",
            table1.markdown(), "", table2.markdown(), "",
        ].joined(separator: "\n")
        print(markdown)
        let report = FSVAEEvaluationReport(
            workspace: name, users: users.count, testPlays: plays, catalogue: tracks.count, seeds: options.seeds, config: config,
            table1: table1.summary, table2: table2.summary)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = try encoder.encode(report)
        try Self.write(markdown: markdown, json: json, prefix: prefix)
        let runConfig = FSVAEEvaluationConfig(seeds: seeds, epochs: config.epochs, hidden: config.sequentialHidden, users: self.users, fsvae: config)
        try context.workspace.recordRun(RunRecord(kind: "evaluate", model: "fsvae", config: try TrainingJSON.encode(runConfig),
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
        let folder = (prefix as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: prefix + ".md"), options: .atomic)
        try json.write(to: URL(fileURLWithPath: prefix + ".json"), options: .atomic)
    }
}

/// The JSON file of `setlist evaluate fsvae`.
struct FSVAEEvaluationReport: Encodable {
    var workspace: String
    var users: Int
    var testPlays: Int
    var catalogue: Int
    var seeds: [UInt64]
    var config: FSVAEConfig
    var table1: NextTrackTable.Summary
    var table2: NextTrackTable.Summary
}

/// The config of an FS-VAE evaluation in the runs table.
struct FSVAEEvaluationConfig: Encodable {
    var seeds: Int
    var epochs: Int
    var hidden: Int
    var users: Int?
    var fsvae: FSVAEConfig
}
