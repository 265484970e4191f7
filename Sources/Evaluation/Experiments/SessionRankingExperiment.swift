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
        /// CoSeRNN ablations to add as rows.
        public var ablations: [CoSeRNNAblation]
        /// The state-of-the-art baselines to train with the same budget (JODIE, LatentCross, VAE-CF).
        public var stateOfTheArt: [StateOfTheArtBaseline]
        /// Session-ranking Ks and the pool's depth.
        public var ks: [Int]
        public var poolK: Int

        public init(config: CoSeRNNConfig, training: TrainingOptions = TrainingOptions(), seeds: [UInt64] = [42, 43, 44],
                    split: TimeSplit = TimeSplit(), ablations: [CoSeRNNAblation] = [],
                    stateOfTheArt: [StateOfTheArtBaseline] = StateOfTheArtBaseline.allCases, ks: [Int] = [9, 19, 49], poolK: Int = 19) {
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
        /// The training loop's report after a batch or an epoch.
        case training(TrainingProgress)
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
        [Variant(name: "Vanilla RNN", isBaseline: true, config: options.config.vanillaRNN()),
         Variant(name: "CoSeRNN", isBaseline: false, config: options.config)]
            + options.ablations.map { Variant(name: "CoSeRNN \($0.rawValue)", isBaseline: false, config: options.config.ablated($0)) }
    }

    /// The number of models `run` trains.
    public static func trainingRuns(_ options: Options) -> Int {
        (variants(options).count + options.stateOfTheArt.count) * options.seeds.count
    }

    /// Trains every model for every seed and scores all of them: the comparison table.
    public static func run(
        users: [[Session]], tracks: TrackVectors, vocabulary: Vocabulary, options: Options,
        leak: LeakCheck? = nil, leakAllowed: Bool = false, events: ((Event) -> Void)? = nil
    ) throws -> ModelComparison {
        let ranking = SessionRankingProtocol(ks: options.ks, poolK: options.poolK, split: options.split)
        func evaluate(_ model: UserModel) -> [SessionOutcome] {
            let outcomes = ranking.evaluate(model, users: users, tracks: tracks)
            events?(.evaluated(model: model.name, summary: RankingSummary(outcomes, ks: options.ks)))
            return outcomes
        }
        var runs: [ModelComparison.Run] = []
        let training = options.split.trainingSessions(of: users)
        let fixed: [UserModel] = [
            PopularityBaseline(tracks: tracks, sessions: training), AverageBaseline(tracks: tracks),
            LastSessionBaseline(tracks: tracks), RecencyWeightedBaseline(tracks: tracks), ContextAverageBaseline(tracks: tracks),
        ]
        for model in fixed {
            runs.append(.init(name: model.name, isBaseline: true, outcomesPerSeed: [evaluate(model)]))
        }
        let total = trainingRuns(options)
        var run = 0
        for variant in variants(options) {
            var perSeed: [[SessionOutcome]] = []
            for seed in options.seeds {
                run += 1
                var config = variant.config
                config.seed = seed
                var trainingOptions = options.training
                trainingOptions.seed = seed
                events?(.trainingStarted(model: variant.name, seed: seed, run: run, runs: total))
                let model = CoSeRNN(config: config, tracks: tracks, name: variant.name)
                let result = try model.train(users: users, split: options.split, options: trainingOptions,
                                             progress: events.map { events in { events(.training($0)) } })
                events?(.trained(model: variant.name, seed: seed, result: result))
                perSeed.append(evaluate(model))
            }
            runs.append(.init(name: variant.name, isBaseline: variant.isBaseline, outcomesPerSeed: perSeed))
        }
        // The state-of-the-art baselines predict each session from its start (JODIE's user embedding projected
        // to it, LatentCross's state crossed with its context, VAE-CF's fold-in of the earlier plays).
        for baseline in options.stateOfTheArt {
            var perSeed: [[SessionOutcome]] = []
            for seed in options.seeds {
                run += 1
                var trainingOptions = options.training
                trainingOptions.seed = seed
                events?(.trainingStarted(model: baseline.name, seed: seed, run: run, runs: total))
                let trained = try baseline.train(users: users, tracks: tracks, vocabulary: vocabulary, split: options.split,
                                                 options: trainingOptions, progress: events.map { events in { events(.training($0)) } })
                events?(.trained(model: baseline.name, seed: seed, result: trained.result))
                perSeed.append(evaluate(trained.predictor))
            }
            runs.append(.init(name: baseline.name, isBaseline: true, outcomesPerSeed: perSeed))
        }
        let setup = EvaluationSetup(split: options.split, seeds: options.seeds, budget: EvaluationSetup.budget(options.training),
                                    leak: leak, leakAllowed: leakAllowed)
        return ModelComparison(runs: runs, ks: options.ks, vocabulary: vocabulary, setup: setup,
                               sessionsWithoutTarget: ranking.sessionsWithoutTarget(users: users, tracks: tracks))
    }
}
