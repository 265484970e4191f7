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
        /// Trainings run at once (one core each is best: the models' matrices are small).
        public var concurrentRuns = 1

        public init(
            config: FSVAEConfig = .paper, seeds: [UInt64] = [1, 2, 3], split: TimeSplit = TimeSplit(),
            rankCatalogue: Bool = true, aggregateWindow: Int = 5, stateOfTheArt: [StateOfTheArtBaseline] = StateOfTheArtBaseline.allCases
        ) {
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
            TrainingOptions(
                learningRate: config.learningRate, batchSize: TrainingOptions.batchSize(forUsers: users),
                maxEpochs: config.epochs, patience: config.patience, seed: seed)
        }
    }

    /// What the runner is doing, for progress displays.
    public enum Event {
        /// A model is about to be trained: the `run`-th of `runs` trainings (1-based).
        case trainingStarted(model: String, seed: UInt64, run: Int, runs: Int)
        /// The training loop's report after a batch or an epoch of the run training `model` with `seed`.
        case training(model: String, seed: UInt64, progress: TrainingProgress)
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
        var words = EvaluationSetup.budget(budget)
        if let sample = c.examplesPerEpoch {
            words +=
                "; an FS-VAE epoch (FS-VAE, its ablations, Vanilla RNN, Aggregate sequence) is \(sample) training examples sampled afresh, "
                + "the state-of-the-art baselines' epochs see every example"
        }
        if let sample = c.validationExamples {
            words += "; their early stopping scores a fixed sample of \(sample) validation examples"
        }
        return EvaluationSetup(
            split: options.split, seeds: options.seeds, budget: words,
            leak: leak, leakAllowed: leakAllowed)
    }

    /// How a trained row ended: FS-VAE's report, or a state-of-the-art baseline's loop result.
    enum TrainingEnd {
        case fsvae(FSVAETrainingReport)
        case baseline(TrainingResult)
    }

    /// A trained row of the tables: how to train it for a seed.
    struct TrainedRow {
        var name: String
        var train: (_ seed: UInt64, _ progress: ((TrainingProgress) -> Void)?) throws -> (model: any NextTrackPredictor, end: TrainingEnd)
    }

    /// Trains every model for every seed and returns Table 1 and Table 2, reporting each step to `events`.
    ///
    /// `vocabulary` gives the state-of-the-art baselines the workspace's device and source counts. With
    /// `options.concurrentRuns` above 1, that many trainings run at once; `events` is then called from
    /// their threads, one call at a time.
    public static func run(
        users: [[Session]], tracks: TrackVectors, vocabulary: Vocabulary, options: Options = Options(), events: ((Event) -> Void)? = nil
    ) throws -> (baselines: NextTrackTable, ablations: NextTrackTable) {
        try options.split.validate()
        let sink = SerialEvents(events)
        func evaluate(_ model: some NextTrackPredictor) -> NextTrackMetrics {
            let metrics = NextTrackEvaluation.evaluate(
                model, users: users, tracks: tracks, split: options.split, rankCatalogue: options.rankCatalogue)
            sink.send(.evaluated(model: model.name, metrics: metrics))
            return metrics
        }
        let base = options.config
        func fsvaeRow(_ variant: @escaping (FSVAEConfig) -> FSVAEConfig) -> TrainedRow {
            TrainedRow(name: variant(base).name) { seed, progress in
                var seeded = base
                seeded.seed = seed
                let config = variant(seeded)
                let model = try FSVAE(config: config, dimension: tracks.dimension)
                let report = try model.train(users: users, tracks: tracks, split: options.split, batchProgress: progress)
                return (try FSVAEUserModel(model: model, tracks: tracks), .fsvae(report))
            }
        }
        let ablationRows = base.ablations.indices.map { index in fsvaeRow { $0.ablations[index] } }
        let stateOfTheArtRows = options.stateOfTheArt.map { baseline in
            TrainedRow(name: baseline.name) { seed, progress in
                let trained = try baseline.train(
                    users: users, tracks: tracks, vocabulary: vocabulary, split: options.split,
                    options: options.stateOfTheArtTraining(users: users.count, seed: seed), progress: progress)
                return (trained.predictor, .baseline(trained.result))
            }
        }
        let rows = [fsvaeRow { $0 }, fsvaeRow { $0.vanillaRNN() }, fsvaeRow { $0.aggregateSequence() }] + ablationRows + stateOfTheArtRows
        let seeds = options.seeds
        let total = rows.count * seeds.count
        // Seed-major order: every model of the first seed, then of the next.
        let metrics = try ConcurrentJobs.run(count: total, workers: options.concurrentRuns) { index in
            let row = rows[index % rows.count], seed = seeds[index / rows.count]
            sink.send(.trainingStarted(model: row.name, seed: seed, run: index + 1, runs: total))
            let progress: ((TrainingProgress) -> Void)? =
                sink.isActive ? { sink.send(.training(model: row.name, seed: seed, progress: $0)) } : nil
            let (model, end) = try row.train(seed, progress)
            switch end {
            case .fsvae(let report): sink.send(.trained(model: row.name, seed: seed, report: report))
            case .baseline(let result): sink.send(.trainedBaseline(model: row.name, seed: seed, result: result))
            }
            return evaluate(model)
        }
        func runs(_ row: Int) -> [NextTrackMetrics] { seeds.indices.map { metrics[$0 * rows.count + row] } }
        let fsvae = runs(0), vanilla = runs(1), aggregate = runs(2)
        let ablations = base.ablations.indices.map { runs(3 + $0) }
        let stateOfTheArt = options.stateOfTheArt.indices.map { runs(3 + base.ablations.count + $0) }
        // The non-neural baselines do not depend on the seed; one run stands for every seed.
        let training = options.split.trainingSessions(of: users)
        let lastTracks = try LastTracksMeanBaseline(tracks: tracks, window: options.aggregateWindow)
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
                + [
                    NextTrackResult(name: base.vanillaRNN().name, runs: vanilla),
                    NextTrackResult(name: base.aggregateSequence().name, runs: aggregate),
                ] + fixed)
        let table2 = NextTrackTable(
            title: "Next-track prediction: FS-VAE ablations (paper Table 2)",
            rows: [fsvaeRow] + zip(base.ablations, ablations).map { NextTrackResult(name: $0.name, runs: $1) })
        return (table1, table2)
    }
}
