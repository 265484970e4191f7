import Foundation
import Listening
import Tensor

/// What one epoch of training did.
public struct FSVAEEpochReport: Sendable, Codable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss (reconstruction + β·KL) over the epoch's batches.
    public var trainingLoss: Float
    /// Mean KL term (before β) over the epoch's batches; 0 when deterministic.
    public var trainingKL: Float
    /// Mean cosine distance of the predicted to the true next track on validation examples, if any.
    public var validationCosineDistance: Float?
    /// Training examples per second of wall time.
    public var examplesPerSecond: Double
    /// Mean reconstruction term (the Gaussian negative log-likelihood, before β·KL) over the epoch's batches, if recorded.
    public var trainingReconstruction: Float? = nil
    /// What the posterior did on the validation examples, if measured (the recurrent model).
    public var posterior: PosteriorActivity? = nil
}

/// How alive a posterior is over a set of examples: the usual active-unit count (Burda et al. 2016)
/// and the typical posterior standard deviation of those units.
public struct PosteriorActivity: Sendable, Codable, Equatable {
    /// Latent units in all ([z^s, z^n]).
    public var units: Int
    /// Units whose posterior mean varies across examples with variance above 0.01.
    public var activeUnits: Int
    /// Mean posterior standard deviation over the active units and the examples (nil with none active).
    public var meanActiveStandardDeviation: Float?
    /// Mean KL divergence from the prior per example, in nats.
    public var klPerExample: Float

    /// The variance of a unit's posterior mean across examples above which the unit counts as active.
    public static let activityThreshold: Float = 0.01
}

extension FSVAEEpochReport {
    /// The report of an epoch the shared training loop recorded.
    init(_ record: EpochRecord) {
        self.init(
            epoch: record.epoch, trainingLoss: record.trainLoss, trainingKL: record.metrics?[FSVAE.klMetric] ?? 0,
            validationCosineDistance: record.validationLoss.isNaN ? nil : record.validationLoss,
            examplesPerSecond: record.sessionsPerSecond, trainingReconstruction: record.metrics?[FSVAE.reconstructionMetric],
            posterior: PosteriorActivity(metrics: record.metrics))
    }
}

/// The example order of each epoch: one generator seeded from the config seed shuffles the
/// previous epoch's order again. `order(epoch:)` replays the shuffles up to any epoch, so a
/// run resumed at epoch e sees the order an uninterrupted run would.
struct FSVAEShuffles {
    let count: Int
    let seed: UInt64
    private var epoch = 0
    private var current: [Int]
    private var random: SeededRandom

    init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
        current = Array(0..<count)
        random = SeededRandom(seed: seed &+ 0x5EED)
    }

    /// The order of `epoch` (1-based).
    mutating func order(epoch target: Int) -> [Int] {
        if target <= epoch { self = FSVAEShuffles(count: count, seed: seed) }
        while epoch < target {
            current.shuffle(using: &random)
            epoch += 1
        }
        return current
    }
}

/// What a training checkpoint of an FS-VAE must match to be resumed.
struct FSVAECheckpointConfig: Codable {
    var dimension: Int
    var config: FSVAEConfig
}

/// The outcome of `FSVAE.train`.
public struct FSVAETrainingReport: Sendable, Codable, Equatable {
    /// One entry per epoch, including those a resumed run restored from its checkpoint.
    public var epochs: [FSVAEEpochReport]
    /// The epoch whose weights were kept (best validation cosine, or the last).
    public var bestEpoch: Int
    /// Number of training examples (next-track targets).
    public var trainingExamples: Int
    /// Number of sessions the training targets come from.
    public var trainingSessions: Int
    /// Epochs restored from a checkpoint (0 for a fresh run).
    public var resumedEpochs: Int
    /// Optimiser steps taken, counting resumed ones.
    public var steps: Int
    /// Wall-clock seconds spent training.
    public var seconds: Double
    /// Validation examples each epoch's loss averaged: `FSVAEConfig.validationExamples`' sample or all of them
    /// (nil in reports written before the sample existed).
    public var validationExamples: Int?
    /// The kept weights' mean validation cosine distance over every validation example, measured
    /// once after training when early stopping scored a sample (nil otherwise, or when not asked for).
    public var allValidationCosineDistance: Float?
    /// Seconds spent building the recurrent model's timelines before training (nil when not measured).
    public var preparationSeconds: Double?
}

extension FSVAETrainingReport {
    /// The kept epoch's validation cosine distance, if measured.
    public var bestValidationCosine: Float? { epochs.first { $0.epoch == bestEpoch }?.validationCosineDistance }
}

extension FSVAE {
    /// Trains on each user's training sessions; validation sessions drive early stopping.
    ///
    /// `users` holds each user's sessions in time order; `split` decides which are training,
    /// validation (early stopping, best weights kept) and test (never read). Every play of a
    /// training session with at least one earlier play of the user is a target.
    ///
    /// Training runs on the shared `TrainingLoop`: the examples are reshuffled per epoch from
    /// (seed, epoch), so with `checkpoint` a resumable checkpoint (weights, best weights, Adam's
    /// moments, loop state) is written atomically after every epoch, and with `resume` too an
    /// interrupted run continues from it and ends exactly as an uninterrupted one would.
    /// `progress` gets one report per epoch, `batchProgress` the loop's report after every batch.
    /// With `FSVAEConfig.validationExamples` early stopping scores a fixed sample; `scoresAllValidation`
    /// then also scores the kept weights on every validation example once, at the end.
    /// Throws `NonFiniteError` on a NaN or infinite loss (nothing is written for that epoch),
    /// `TrainingError.configMismatch` when the checkpoint belongs to another model, and
    /// `FSVAEError` on unusable data.
    @discardableResult
    public func train(
        users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(),
        checkpoint: URL? = nil, resume: Bool = false, scoresAllValidation: Bool = true,
        progress: ((FSVAEEpochReport) -> Void)? = nil, batchProgress: ((TrainingProgress) -> Void)? = nil
    ) throws -> FSVAETrainingReport {
        guard tracks.dimension == dimension else { throw FSVAEError.dimensionMismatch(expected: dimension, found: tracks.dimension) }
        try split.validate()
        if config.isRecurrent {
            return try trainRecurrent(
                users: users, tracks: tracks, split: split, checkpoint: checkpoint, resume: resume,
                scoresAllValidation: scoresAllValidation, progress: progress, batchProgress: batchProgress)
        }
        var training = FSVAEExamples(config: config, dimension: dimension)
        var validation = FSVAEExamples(config: config, dimension: dimension)
        for sessions in users {
            let parts = split.ranges(of: sessions)
            // A track without a vector has no embedding to reconstruct: never a target.
            training.walk(sessions: sessions, targets: parts.train, config: config, tracks: tracks, isTarget: tracks.hasVector)
            validation.walk(sessions: sessions, targets: parts.validation, config: config, tracks: tracks, isTarget: tracks.hasVector)
        }
        return try train(
            examples: training, validation: validation, tracks: tracks, checkpoint: checkpoint, resume: resume,
            scoresAllValidation: scoresAllValidation, progress: progress, batchProgress: batchProgress)
    }

    /// The loop settings of this model's config: Adam, batch size, epochs, patience, clipping, seed.
    public var trainingOptions: TrainingOptions {
        TrainingOptions(
            learningRate: config.learningRate, batchSize: config.batchSize, maxEpochs: config.epochs,
            patience: config.patience, minimumImprovement: config.minimumImprovement ?? 0, maxGradientNorm: config.maxGradientNorm,
            seed: config.seed)
    }

    /// The config text a training checkpoint must match to be resumed: the model config and the
    /// track dimension. The epoch limit is left out, so a resumed run may train longer or shorter.
    public var checkpointConfigJSON: String {
        get throws {
            var checked = config
            checked.epochs = 0
            return try TrainingJSON.encode(FSVAECheckpointConfig(dimension: dimension, config: checked))
        }
    }

    /// Trains on prepared examples (shared by `train(users:)` and the benchmark).
    func train(
        examples: FSVAEExamples, validation allValidation: FSVAEExamples, tracks: TrackVectors, checkpoint: URL? = nil,
        resume: Bool = false,
        maximumSteps: Int? = nil, scoresAllValidation: Bool = true, progress: ((FSVAEEpochReport) -> Void)? = nil,
        batchProgress: ((TrainingProgress) -> Void)? = nil
    ) throws -> FSVAETrainingReport {
        guard examples.count > 0 else { throw FSVAEError.noTrainingExamples }
        // The standardisation depends on the examples only, so a resumed run recomputes the same one.
        slowNormalization = examples.slowStatistics()
        // A fixed sample, so every epoch (and a resumed run) is scored on the same examples.
        let validation = config.validationExamples.map { allValidation.sample($0, seed: config.seed &+ 0x7A11D) } ?? allValidation
        let started = Date()
        let loop = try TrainingLoop(
            model: self, options: trainingOptions, config: try checkpointConfigJSON,
            checkpointURL: checkpoint, resume: resume)
        loop.maximumSteps = maximumSteps
        // FS-VAE's own random streams: one generator reshuffles the examples every epoch, and
        // each step's tape is seeded from the config seed and the step. Both are functions of
        // the epoch or step alone, so a resumed run replays them exactly.
        var shuffles = FSVAEShuffles(count: examples.count, seed: config.seed)
        let batchSize = config.batchSize
        // A sample per epoch is the head of that epoch's full shuffle, so it is as replayable as the shuffle.
        let perEpoch = config.examplesPerEpoch ?? examples.count
        loop.epochBatches = { epoch, _ in UserBatches.inOrder(Array(shuffles.order(epoch: epoch).prefix(perEpoch)), batchSize: batchSize) }
        let seed = config.seed
        loop.tapeSeed = { step in seed &* 1_000_003 &+ UInt64(step) }
        let resumedEpochs = loop.state.epoch
        var klSum: Float = 0, klBatches = 0
        loop.epochMetrics = {
            defer { (klSum, klBatches) = (0, 0) }
            return [Self.klMetric: klBatches == 0 ? 0 : klSum / Float(klBatches)]
        }
        // Unowned: the loop keeps this closure, which must not keep the loop.
        loop.progress = { [unowned loop] report in
            batchProgress?(report)
            if report.phase == .epochEnd, let record = loop.state.history.last, record.epoch == report.epoch {
                progress?(FSVAEEpochReport(record))
            }
        }
        let result = try loop.run(
            userCount: examples.count,
            trainBatch: { indices, tape in
                // The loop's step counter survives resumes, so the KL warm-up does too.
                let step = loop.state.step + 1
                let batch = examples.batch(indices, tracks: tracks, config: self.config, slowNormalization: self.slowNormalization)
                let warmup = self.config.klWarmupSteps == 0 ? 1 : min(1, Float(step) / Float(self.config.klWarmupSteps))
                let loss = self.loss(batch, tape: tape, klWeight: self.config.beta * warmup)
                if let kl = loss.kl {
                    klSum += kl.value.scalar
                    klBatches += 1
                }
                return BatchLoss(loss: loss.total, sessions: indices.count)
            },
            validate: {
                validation.count == 0
                    ? ValidationLoss(loss: .nan, sessions: 0)
                    : ValidationLoss(loss: self.meanCosineDistance(validation, tracks: tracks), sessions: validation.count)
            })
        let reports = result.state.history.map(FSVAEEpochReport.init)
        // Without validation examples the loop keeps the latest weights: those of the last epoch.
        let bestEpoch = validation.count == 0 ? result.state.epoch : result.bestEpoch
        // The sample ranks epochs; the kept weights are also scored on everything, comparable with unsampled runs.
        let allScore =
            scoresAllValidation && validation.count < allValidation.count ? meanCosineDistance(allValidation, tracks: tracks) : nil
        return FSVAETrainingReport(
            epochs: reports, bestEpoch: bestEpoch, trainingExamples: examples.count,
            trainingSessions: examples.sessionCount, resumedEpochs: resumedEpochs, steps: result.state.step,
            seconds: Date().timeIntervalSince(started), validationExamples: validation.count,
            allValidationCosineDistance: allScore)
    }

    /// Key of the mean KL term in `EpochRecord.metrics`.
    static let klMetric = "kl"
    /// Key of the mean reconstruction term in `EpochRecord.metrics`.
    static let reconstructionMetric = "reconstruction"

    /// Mean cosine distance between predictions (latent means) and targets over `examples`.
    func meanCosineDistance(_ examples: FSVAEExamples, tracks: TrackVectors) -> Float {
        let predictions = predict(examples, tracks: tracks)
        var sum: Double = 0
        for (i, prediction) in predictions.enumerated() {
            sum += Double(1 - VectorOps.cosine(prediction, tracks.vector(examples.targets[i])))
        }
        return Float(sum / Double(max(1, predictions.count)))
    }
}

extension PosteriorActivity {
    /// Keys of the activity's figures in `EpochRecord.metrics`.
    static let unitsMetric = "latent_units"
    static let activeMetric = "active_units"
    static let deviationMetric = "active_sigma"
    static let klMetric = "validation_kl"

    /// The activity an epoch recorded, or nil when it recorded none.
    init?(metrics: [String: Float]?) {
        guard let metrics, let units = metrics[Self.unitsMetric], let active = metrics[Self.activeMetric],
            let kl = metrics[Self.klMetric]
        else { return nil }
        self.init(units: Int(units), activeUnits: Int(active), meanActiveStandardDeviation: metrics[Self.deviationMetric], klPerExample: kl)
    }

    /// The figures as `EpochRecord.metrics` entries.
    var metrics: [String: Float] {
        var out = [Self.unitsMetric: Float(units), Self.activeMetric: Float(activeUnits), Self.klMetric: klPerExample]
        if let meanActiveStandardDeviation { out[Self.deviationMetric] = meanActiveStandardDeviation }
        return out
    }

    /// Accumulates posterior means and variances example by example.
    struct Accumulator {
        var count = 0
        var sum: [Double] = []
        var squares: [Double] = []
        var deviations: [Double] = []
        var kl = 0.0

        mutating func add(mean: [Float], variance: [Float]) {
            if sum.isEmpty {
                sum = [Double](repeating: 0, count: mean.count)
                squares = sum
                deviations = sum
            }
            count += 1
            for j in mean.indices {
                let m = Double(mean[j]), v = Double(variance[j])
                sum[j] += m
                squares[j] += m * m
                deviations[j] += v.squareRoot()
                kl += 0.5 * (m * m + v - 1 - (v > 0 ? Foundation.log(v) : 0))
            }
        }

        /// The activity, or nil without examples or a posterior variance.
        var activity: PosteriorActivity? {
            guard count > 0, deviations.contains(where: { $0 > 0 }) else { return nil }
            let n = Double(count)
            let active = sum.indices.filter {
                squares[$0] / n - (sum[$0] / n) * (sum[$0] / n) > Double(PosteriorActivity.activityThreshold)
            }
            let sigma = active.isEmpty ? nil : Float(active.reduce(0) { $0 + deviations[$1] / n } / Double(active.count))
            return PosteriorActivity(
                units: sum.count, activeUnits: active.count, meanActiveStandardDeviation: sigma, klPerExample: Float(kl / n))
        }
    }
}

extension PosteriorActivity {
    /// "KL 3.21 nats/example, 24 of 160 latent units active, mean σ 0.312 over them".
    public var summary: String {
        String(format: "KL %.2f nats/example, %d of %d latent units active", klPerExample, activeUnits, units)
            + (meanActiveStandardDeviation.map { String(format: ", mean σ %.3f over them", $0) } ?? "")
    }
}
