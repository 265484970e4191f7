import Listening
import UserModels

/// The CoSeRNN paper's experiment on one dataset: CoSeRNN, its ablations and every baseline,
/// scored by `SessionRankingProtocol` on the test part, each trained model once per seed.
///
/// Every trained model (CoSeRNN, its ablations, the Vanilla RNN) gets the same training options,
/// so the same epoch budget and early-stopping rule; only the seed of weights and batch order
/// changes between runs. Parameter-free baselines are fitted on the training part only.
public enum SessionRankingExperiment {
    /// Which rows to train and how.
    public struct Options: Sendable {
        /// CoSeRNN's config; ablations and the Vanilla RNN derive from it, the seed is replaced per run.
        public var config: CoSeRNNConfig
        /// The shared training budget; its seed is replaced per run.
        public var training: TrainingOptions
        /// One training run per seed.
        public var seeds: [UInt64]
        /// The split (validation for early stopping, test for the table).
        public var split: TimeSplit
        /// CoSeRNN ablations to add as rows (those that leave `config` as it is add none).
        public var ablations: [CoSeRNNAblation]
        /// The state-of-the-art baselines to train with the same budget (JODIE, LatentCross, VAE-CF).
        public var stateOfTheArt: [StateOfTheArtBaseline]
        /// Session-ranking Ks and the pool's depth.
        public var ks: [Int]
        public var poolK: Int
        /// Trainings run at once (one core each is best: the models' matrices are small).
        public var concurrentRuns = 1

        public init(
            config: CoSeRNNConfig, training: TrainingOptions = TrainingOptions(), seeds: [UInt64] = [42, 43, 44],
            split: TimeSplit = TimeSplit(), ablations: [CoSeRNNAblation] = [],
            stateOfTheArt: [StateOfTheArtBaseline] = StateOfTheArtBaseline.allCases, ks: [Int] = [9, 19, 49], poolK: Int = 19
        ) {
            self.config = config
            self.training = training
            self.seeds = seeds
            self.split = split
            self.ablations = ablations
            self.stateOfTheArt = stateOfTheArt
            self.ks = ks
            self.poolK = poolK
        }
    }

    /// What the runner is doing, for progress displays.
    public enum Event {
        /// A model is about to be trained: the `run`-th of `runs` trainings (1-based).
        case trainingStarted(model: String, seed: UInt64, run: Int, runs: Int)
        /// The training loop's report after a batch or an epoch of the run training `model` with `seed`.
        case training(model: String, seed: UInt64, progress: TrainingProgress)
        /// The model finished training.
        case trained(model: String, seed: UInt64, result: TrainingResult)
        /// A model was scored on the test sessions.
        case evaluated(model: String, summary: RankingSummary)
    }

    /// A trained row: its name, whether it is a baseline, and its config for a seed.
    struct Variant {
        var name: String
        var isBaseline: Bool
        var config: CoSeRNNConfig
    }

    static func variants(_ options: Options) -> [Variant] {
        [
            Variant(name: "Vanilla RNN", isBaseline: true, config: options.config.vanillaRNN()),
            Variant(name: "CoSeRNN", isBaseline: false, config: options.config),
        ]
            // An ablation that changes nothing on this config (no current source when it is off) would repeat CoSeRNN's row.
            + options.ablations.filter { options.config.ablated($0) != options.config }.map {
                Variant(name: "CoSeRNN \($0.rawValue)", isBaseline: false, config: options.config.ablated($0))
            }
    }

    /// The number of models `run` trains.
    public static func trainingRuns(_ options: Options) -> Int {
        (variants(options).count + options.stateOfTheArt.count) * options.seeds.count
    }

    /// A trained row of the table: how to train it for a seed.
    struct TrainedRow {
        var name: String
        var isBaseline: Bool
        var train: (_ seed: UInt64, _ progress: ((TrainingProgress) -> Void)?) throws -> (model: any UserModel, result: TrainingResult)
    }

    /// Trains every model for every seed and scores all of them: the comparison table.
    ///
    /// With `options.concurrentRuns` above 1, that many trainings run at once; `events` is then called
    /// from their threads, one call at a time.
    public static func run(
        users: [[Session]], tracks: TrackVectors, vocabulary: Vocabulary, options: Options,
        leak: LeakCheck? = nil, leakAllowed: Bool = false, events: ((Event) -> Void)? = nil
    ) throws -> ModelComparison {
        try options.split.validate()
        try options.training.validate()
        let ranking = SessionRankingProtocol(ks: options.ks, poolK: options.poolK, split: options.split)
        let sink = SerialEvents(events)
        func evaluate(_ model: any UserModel) -> [SessionOutcome] {
            let outcomes = ranking.evaluate(model, users: users, tracks: tracks)
            sink.send(.evaluated(model: model.name, summary: RankingSummary(outcomes, ks: options.ks)))
            return outcomes
        }
        var runs: [ModelComparison.Run] = []
        let training = options.split.trainingSessions(of: users)
        let fixed: [UserModel] = [
            PopularityBaseline(tracks: tracks, sessions: training), AverageBaseline(tracks: tracks),
            LastSessionBaseline(tracks: tracks), try RecencyWeightedBaseline(tracks: tracks), ContextAverageBaseline(tracks: tracks),
        ]
        for model in fixed {
            runs.append(.init(name: model.name, isBaseline: true, outcomesPerSeed: [evaluate(model)]))
        }
        func seeded(_ seed: UInt64) -> TrainingOptions {
            var trainingOptions = options.training
            trainingOptions.seed = seed
            return trainingOptions
        }
        let coSeRNNRows = variants(options).map { variant in
            TrainedRow(name: variant.name, isBaseline: variant.isBaseline) { seed, progress in
                var config = variant.config
                config.seed = seed
                let model = try CoSeRNN(config: config, tracks: tracks, name: variant.name)
                return (model, try model.train(users: users, split: options.split, options: seeded(seed), progress: progress))
            }
        }
        // The state-of-the-art baselines predict each session from its start (JODIE's user embedding projected
        // to it, LatentCross's state crossed with its context, VAE-CF's fold-in of the earlier plays).
        let stateOfTheArtRows = options.stateOfTheArt.map { baseline in
            TrainedRow(name: baseline.name, isBaseline: true) { seed, progress in
                let trained = try baseline.train(
                    users: users, tracks: tracks, vocabulary: vocabulary, split: options.split,
                    options: seeded(seed), progress: progress)
                return (trained.predictor, trained.result)
            }
        }
        let rows = coSeRNNRows + stateOfTheArtRows
        let seeds = options.seeds
        let total = rows.count * seeds.count
        let outcomes = try ConcurrentJobs.run(count: total, workers: options.concurrentRuns) { index in
            let row = rows[index / seeds.count], seed = seeds[index % seeds.count]
            sink.send(.trainingStarted(model: row.name, seed: seed, run: index + 1, runs: total))
            let progress: ((TrainingProgress) -> Void)? =
                sink.isActive ? { sink.send(.training(model: row.name, seed: seed, progress: $0)) } : nil
            let (model, result) = try row.train(seed, progress)
            sink.send(.trained(model: row.name, seed: seed, result: result))
            return evaluate(model)
        }
        for (r, row) in rows.enumerated() {
            runs.append(
                .init(
                    name: row.name, isBaseline: row.isBaseline,
                    outcomesPerSeed: Array(outcomes[(r * seeds.count)..<((r + 1) * seeds.count)])))
        }
        let setup = EvaluationSetup(
            split: options.split, seeds: options.seeds, budget: EvaluationSetup.budget(options.training),
            leak: leak, leakAllowed: leakAllowed)
        return ModelComparison(
            runs: runs, ks: options.ks, vocabulary: vocabulary, setup: setup,
            sessionsWithoutTarget: ranking.sessionsWithoutTarget(users: users, tracks: tracks))
    }
}
