import Listening
import UserModels

/// The FS-VAE paper's two experiments on one dataset: Table 1 (FS-VAE against the baselines)
/// and Table 2 (FS-VAE against its ablations), each model trained once per seed.
public enum NextTrackExperiment {
    /// Which rows to train and how.
    public struct Options: Sendable {
        /// The FS-VAE config; ablations, the Vanilla RNN and the Aggregate sequence derive from it, the seed is replaced per run.
        public var config: FSVAEConfig
        /// One training run per seed.
        public var seeds: [UInt64]
        /// Per-user time split (validation for early stopping, test for the tables).
        public var split: TimeSplit
        /// Rank the next track over the full catalogue (off: distances only).
        public var rankCatalogue: Bool
        /// Window of the untrained Last-w mean baseline.
        public var aggregateWindow: Int
        /// The state-of-the-art baselines to train beside FS-VAE (JODIE, LatentCross, VAE-CF), with FS-VAE's budget.
        public var stateOfTheArt: [StateOfTheArtBaseline]

        public init(config: FSVAEConfig = .paper, seeds: [UInt64] = [1, 2, 3], split: TimeSplit = TimeSplit(),
                    rankCatalogue: Bool = true, aggregateWindow: Int = 5, stateOfTheArt: [StateOfTheArtBaseline] = StateOfTheArtBaseline.allCases) {
            self.config = config
            self.seeds = seeds
            self.split = split
            self.rankCatalogue = rankCatalogue
            self.aggregateWindow = aggregateWindow
            self.stateOfTheArt = stateOfTheArt
        }

        /// The loop settings every state-of-the-art row trains with: FS-VAE's epochs, patience and
        /// learning rate, and a batch of about 1/50 of the users (each model counts it in its own unit).
        public func stateOfTheArtTraining(users: Int, seed: UInt64) -> TrainingOptions {
            TrainingOptions(learningRate: config.learningRate, batchSize: TrainingOptions.batchSize(forUsers: users),
                            maxEpochs: config.epochs, patience: config.patience, seed: seed)
        }
    }

    /// What the runner is doing, for progress displays.
    public enum Event {
        /// A model is about to be trained: the `run`-th of `runs` trainings (1-based).
        case trainingStarted(model: String, seed: UInt64, run: Int, runs: Int)
        /// The training loop's report after a batch or an epoch of the model in training.
        case training(TrainingProgress)
        /// The model finished training.
        case trained(model: String, seed: UInt64, report: FSVAETrainingReport)
        /// A state-of-the-art baseline finished training.
        case trainedBaseline(model: String, seed: UInt64, result: TrainingResult)
        /// A model was scored on the test sessions.
        case evaluated(model: String, metrics: NextTrackMetrics)
    }

    /// The number of models `run` trains: (FS-VAE, Vanilla RNN, Aggregate sequence, the ablations and
    /// the state-of-the-art baselines) × seeds.
    public static func trainingRuns(_ options: Options) -> Int {
        (3 + options.config.ablations.count + options.stateOfTheArt.count) * options.seeds.count
    }

    /// The table header's setup: split, seeds, the shared budget of the trained rows, and the leak status.
    public static func setup(_ options: Options, leak: LeakCheck? = nil, leakAllowed: Bool = false) -> EvaluationSetup {
        let c = options.config
        let budget = TrainingOptions(learningRate: c.learningRate, batchSize: c.batchSize, maxEpochs: c.epochs, patience: c.patience)
        return EvaluationSetup(split: options.split, seeds: options.seeds, budget: EvaluationSetup.budget(budget),
                               leak: leak, leakAllowed: leakAllowed)
    }

    /// Trains every model for every seed and returns Table 1 and Table 2, reporting each step to `events`.
    ///
    /// `vocabulary` gives the state-of-the-art baselines the workspace's device and source counts.
    public static func run(
        users: [[Session]], tracks: TrackVectors, vocabulary: Vocabulary, options: Options = Options(), events: ((Event) -> Void)? = nil
    ) throws -> (baselines: NextTrackTable, ablations: NextTrackTable) {
        func evaluate(_ model: some NextTrackPredictor) -> NextTrackMetrics {
            let metrics = NextTrackEvaluation.evaluate(model, users: users, tracks: tracks, split: options.split, rankCatalogue: options.rankCatalogue)
            events?(.evaluated(model: model.name, metrics: metrics))
            return metrics
        }
        let runs = trainingRuns(options)
        var run = 0
        func trained(_ config: FSVAEConfig) throws -> NextTrackMetrics {
            run += 1
            events?(.trainingStarted(model: config.name, seed: config.seed, run: run, runs: runs))
            let model = try FSVAE(config: config, dimension: tracks.dimension)
            let report = try model.train(users: users, tracks: tracks, split: options.split,
                                         batchProgress: events.map { events in { events(.training($0)) } })
            events?(.trained(model: config.name, seed: config.seed, report: report))
            return evaluate(try FSVAEUserModel(model: model, tracks: tracks))
        }
        let base = options.config
        var fsvae: [NextTrackMetrics] = []
        var vanilla: [NextTrackMetrics] = []
        var aggregate: [NextTrackMetrics] = []
        var ablations = [[NextTrackMetrics]](repeating: [], count: base.ablations.count)
        var stateOfTheArt = [[NextTrackMetrics]](repeating: [], count: options.stateOfTheArt.count)
        for seed in options.seeds {
            var config = base
            config.seed = seed
            fsvae.append(try trained(config))
            vanilla.append(try trained(config.vanillaRNN()))
            aggregate.append(try trained(config.aggregateSequence()))
            for (i, ablation) in config.ablations.enumerated() { ablations[i].append(try trained(ablation)) }
            for (i, baseline) in options.stateOfTheArt.enumerated() {
                run += 1
                events?(.trainingStarted(model: baseline.name, seed: seed, run: run, runs: runs))
                let trained = try baseline.train(users: users, tracks: tracks, vocabulary: vocabulary, split: options.split,
                                                 options: options.stateOfTheArtTraining(users: users.count, seed: seed),
                                                 progress: events.map { events in { events(.training($0)) } })
                events?(.trainedBaseline(model: baseline.name, seed: seed, result: trained.result))
                stateOfTheArt[i].append(evaluate(trained.predictor))
            }
        }
        // The non-neural baselines do not depend on the seed; one run stands for every seed.
        let training = options.split.trainingSessions(of: users)
        let lastTracks = LastTracksMeanBaseline(tracks: tracks, window: options.aggregateWindow)
        let average = AverageBaseline(tracks: tracks)
        let popularity = PopularityBaseline(tracks: tracks, sessions: training)
        let fixed = [
            NextTrackResult(name: lastTracks.name, runs: [evaluate(lastTracks)]),
            NextTrackResult(name: average.name, runs: [evaluate(average)]),
            NextTrackResult(name: popularity.name, runs: [evaluate(popularity)]),
        ]
        let fsvaeRow = NextTrackResult(name: base.name, runs: fsvae)
        let table1 = NextTrackTable(
            title: "Next-track prediction: FS-VAE and baselines (paper Table 1)",
            rows: [fsvaeRow]
                + zip(options.stateOfTheArt, stateOfTheArt).map { NextTrackResult(name: $0.name, runs: $1) }
                + [NextTrackResult(name: base.vanillaRNN().name, runs: vanilla),
                   NextTrackResult(name: base.aggregateSequence().name, runs: aggregate)] + fixed)
        let table2 = NextTrackTable(
            title: "Next-track prediction: FS-VAE ablations (paper Table 2)",
            rows: [fsvaeRow] + zip(base.ablations, ablations).map { NextTrackResult(name: $0.name, runs: $1) })
        return (table1, table2)
    }
}
