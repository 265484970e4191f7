import ArgumentParser
import Evaluation
import Foundation
import Listening
import Tensor
import UserModels

/// `setlist evaluate`: the CoSeRNN paper's session and track ranking, against every baseline, over seeds.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate CoSeRNN against the baselines (session and track ranking), over several seeds.",
        discussion: """
            For each seed, CoSeRNN (and the Vanilla RNN baseline, and with --ablations each ablation)
            is trained on the train part and early-stopped on the validation part; every model then
            predicts each test session (the last 10% per user) from the sessions before it. Session
            ranking: MRR and mean rank of the true session among it and its K previous ones (K = 9, 19,
            49). Track ranking: MAP, NDCG@10, Recall@10/50 over the pool of recent tracks and over the
            full catalogue. Ties count against the model. Results are printed and written as Markdown
            and JSON (--output PREFIX, default WORKSPACE/results/evaluation), with a per-context
            breakdown and a paired t-test against the best baseline.
            """)

    @OptionGroup var workspaceOption: WorkspaceOption
    @Option(help: "Seeds to train and average over.") var seeds = 3
    @Option(help: "Maximum training epochs per model.") var epochs = 30
    @Option(help: "LSTM hidden size.") var hidden = 400
    @Flag(help: "Also train and score the paper's ablations.") var ablations = false
    @Option(help: "Output prefix for .md and .json (default WORKSPACE/results/evaluation).") var output: String?
    @Option(help: "BLAS threads.") var threads = 2

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
    }

    func run() throws {
        setBLASThreads(threads)
        let context = try WorkspaceContext(path: workspaceOption.path)
        let tracks = try context.tracks(dimension: WorkspaceContext.ModelFile.cosernn.dimension)
        let protocolSpec = SessionRankingProtocol()
        let split = TimeSplit()
        let started = RunRecord.now
        var runs: [ModelComparison.Run] = []

        // Parameter-free baselines: the same on every seed.
        let training = context.users.flatMap { sessions in sessions[split.ranges(count: sessions.count).train] }
        let fixed: [UserModel] = [PopularityBaseline(tracks: tracks, sessions: training), AverageBaseline(tracks: tracks),
                                  LastSessionBaseline(tracks: tracks), RecencyWeightedBaseline(tracks: tracks),
                                  ContextAverageBaseline(tracks: tracks)]
        for model in fixed {
            let outcomes = protocolSpec.evaluate(model, users: context.users, tracks: tracks)
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
                try model.train(users: context.users, split: split, options: TrainingOptions(maxEpochs: epochs, seed: UInt64(42 + seed))) { p in
                    batches = (p.epoch - 1) * p.batchesPerEpoch + p.batch
                    bar.update(batches, total: p.maxEpochs * p.batchesPerEpoch,
                               detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))" + (p.validationLoss.map { String(format: " val %.4f", $0) } ?? ""))
                }
                bar.finish(batches)
                perSeed.append(protocolSpec.evaluate(model, users: context.users, tracks: tracks))
            }
            runs.append(.init(name: variant.name, isBaseline: variant.isBaseline, outcomesPerSeed: perSeed))
        }

        let comparison = ModelComparison(runs: runs, ks: protocolSpec.ks, vocabulary: context.vocabulary)
        let markdown = comparison.markdown(title: "CoSeRNN: session and track ranking on \((context.path as NSString).lastPathComponent)")
        print(markdown)
        let prefix = output ?? (context.path as NSString).appendingPathComponent("results/evaluation")
        try Self.write(markdown: markdown, json: comparison.json(), prefix: prefix)
        if let best = comparison.bestBaseline {
            for metric in ["MRR@19", "cat MAP"] {
                if let gain = comparison.relativeGain(of: "CoSeRNN", over: best, metric: metric) {
                    print("CoSeRNN vs \(best) on \(metric): \(String(format: "%+.1f%%", gain * 100))")
                }
            }
        }
        try context.workspace.recordRun(RunRecord(kind: "evaluate", model: "cosernn", config: "{\"seeds\":\(seeds),\"epochs\":\(epochs),\"hidden\":\(hidden)}",
                                                  seed: 42, metrics: String(decoding: try comparison.json(), as: UTF8.self),
                                                  startedAt: started, finishedAt: RunRecord.now))
        print("Wrote \(prefix).md and \(prefix).json")
    }

    /// Writes the two result files atomically, creating their folder.
    static func write(markdown: String, json: Data, prefix: String) throws {
        let folder = (prefix as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: prefix + ".md"), options: .atomic)
        try json.write(to: URL(fileURLWithPath: prefix + ".json"), options: .atomic)
    }
}
