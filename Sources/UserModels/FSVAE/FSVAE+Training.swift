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
}

/// The outcome of `FSVAE.train`.
public struct FSVAETrainingReport: Sendable, Codable, Equatable {
    /// One entry per epoch run.
    public var epochs: [FSVAEEpochReport]
    /// The epoch whose weights were kept (best validation cosine, or the last).
    public var bestEpoch: Int
    /// Number of training examples (next-track targets).
    public var trainingExamples: Int
    /// Number of sessions the training targets come from.
    public var trainingSessions: Int
    /// Wall-clock seconds spent training.
    public var seconds: Double
}

extension FSVAE {
    /// Trains on each user's training sessions; validation sessions drive early stopping.
    ///
    /// `users` holds each user's sessions in time order; `split` decides which are training,
    /// validation (early stopping, best weights kept) and test (never read). Every play of a
    /// training session with at least one earlier play of the user is a target. Throws
    /// `NonFiniteError` on a NaN loss and `FSVAEError` on unusable data.
    @discardableResult
    public func train(
        users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(),
        progress: ((FSVAEEpochReport) -> Void)? = nil
    ) throws -> FSVAETrainingReport {
        guard tracks.dimension == dimension else { throw FSVAEError.dimensionMismatch(expected: dimension, found: tracks.dimension) }
        var training = FSVAEExamples(window: config.window, slowCount: config.slowFeatures.count)
        var validation = FSVAEExamples(window: config.window, slowCount: config.slowFeatures.count)
        for sessions in users {
            let parts = split.ranges(count: sessions.count)
            training.walk(sessions: sessions, targets: parts.train, config: config)
            validation.walk(sessions: sessions, targets: parts.validation, config: config)
        }
        return try train(examples: training, validation: validation, tracks: tracks, progress: progress)
    }

    /// Trains on prepared examples (shared by `train(users:)` and the benchmark).
    func train(
        examples: FSVAEExamples, validation: FSVAEExamples, tracks: TrackVectors,
        maximumSteps: Int? = nil, progress: ((FSVAEEpochReport) -> Void)? = nil
    ) throws -> FSVAETrainingReport {
        guard examples.count > 0 else { throw FSVAEError.noTrainingExamples }
        slowNormalization = examples.slowStatistics()
        let adam = Adam(parameters: parameters, learningRate: config.learningRate, maxGradientNorm: config.maxGradientNorm)
        var random = SeededRandom(seed: config.seed &+ 0x5EED)
        var order = Array(0..<examples.count)
        var reports: [FSVAEEpochReport] = []
        var stopping = EarlyStopping(patience: config.patience)
        var bestState: [String: Tensor]?
        var step = 0
        let started = Date()
        epochs: for epoch in 1...max(1, config.epochs) where config.epochs > 0 {
            let epochStart = Date()
            order.shuffle(using: &random)
            var lossSum: Float = 0, klSum: Float = 0, batches = 0, seen = 0
            for start in stride(from: 0, to: order.count, by: config.batchSize) {
                if let maximumSteps, step >= maximumSteps { break }
                step += 1
                let indices = order[start..<min(start + config.batchSize, order.count)]
                let batch = examples.batch(indices, tracks: tracks, config: config, slowNormalization: slowNormalization)
                let tape = Tape(seed: config.seed &* 1_000_003 &+ UInt64(step))
                let warmup = config.klWarmupSteps == 0 ? 1 : min(1, Float(step) / Float(config.klWarmupSteps))
                let loss = self.loss(batch, tape: tape, klWeight: config.beta * warmup)
                let value = loss.total.value.scalar
                try checkFinite(value, step: step)
                tape.backward(loss.total)
                try adam.step()
                lossSum += value
                klSum += loss.kl?.value.scalar ?? 0
                batches += 1
                seen += indices.count
            }
            let elapsed = Date().timeIntervalSince(epochStart)
            var report = FSVAEEpochReport(
                epoch: epoch, trainingLoss: lossSum / Float(max(1, batches)), trainingKL: klSum / Float(max(1, batches)),
                validationCosineDistance: nil, examplesPerSecond: Double(seen) / max(elapsed, 1e-9))
            if validation.count > 0 {
                let cosine = meanCosineDistance(validation, tracks: tracks)
                report.validationCosineDistance = cosine
                let decision = stopping.record(epoch: epoch, loss: cosine)
                if decision == .improved { bestState = stateDictionary() }
                reports.append(report)
                progress?(report)
                if decision == .stop { break epochs }
            } else {
                reports.append(report)
                progress?(report)
            }
            if let maximumSteps, step >= maximumSteps { break epochs }
        }
        try checkFinite(self, step: step)
        if let bestState { try loadStateDictionary(bestState) }
        return FSVAETrainingReport(
            epochs: reports, bestEpoch: bestState == nil ? reports.count : stopping.bestEpoch, trainingExamples: examples.count,
            trainingSessions: examples.sessionCount, seconds: Date().timeIntervalSince(started))
    }

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
