import Foundation
import Tensor

/// The loss of one training batch, built on the step's tape.
public struct BatchLoss {
    /// The scalar loss to minimise.
    public var loss: Variable
    /// The number of sessions (loss terms) it averages, for throughput.
    public var sessions: Int

    /// Creates a batch loss.
    public init(loss: Variable, sessions: Int) {
        self.loss = loss
        self.sessions = sessions
    }
}

/// The validation loss of a model, averaged over `sessions` loss terms.
public struct ValidationLoss: Sendable, Hashable {
    /// Mean loss (NaN when `sessions` is 0).
    public var loss: Float
    /// Loss terms averaged.
    public var sessions: Int

    /// Creates a validation result.
    public init(loss: Float, sessions: Int) {
        self.loss = loss
        self.sessions = sessions
    }
}

/// How a training run ended.
public struct TrainingResult: Sendable, Hashable, Codable {
    /// The final loop state (epochs, steps, early stopping, per-epoch history).
    public var state: TrainingState
    /// The epoch whose weights the model holds at the end (the best validation epoch).
    public var bestEpoch: Int { state.earlyStopping.bestEpoch }
    /// Its validation loss.
    public var bestValidationLoss: Float { state.earlyStopping.bestLoss }
}

/// Mini-batch training over users with validation, early stopping, checkpoints and resume.
///
/// Model-agnostic: the caller builds each batch's loss on a tape (`trainBatch`) and
/// computes the validation loss (`validate`); the loop shuffles users per epoch
/// (`UserBatches`, deterministic from the seed), checks every loss for NaN or infinity
/// (`NonFiniteError` names the step), steps Adam, reports progress, keeps the best weights,
/// stops after `patience` epochs without improvement, writes a checkpoint after every epoch,
/// and finally loads the best weights into the model.
public final class TrainingLoop<Model: Layer> {
    /// The model being trained (its parameters are updated in place).
    public let model: Model
    /// The options of this run.
    public let options: TrainingOptions
    /// The optimiser over `model.parameters`.
    public let optimizer: Adam
    /// The model's config JSON, stored in checkpoints and checked on resume.
    public let config: String
    /// Where to write the checkpoint after each epoch (nil for none).
    public var checkpointURL: URL?
    /// Called after each batch and each epoch.
    public var progress: ((TrainingProgress) -> Void)?
    /// Called once at the end of each epoch, after validation; what it returns is kept in that
    /// epoch's `EpochRecord.metrics` (and so in checkpoints). Use it for model-specific figures,
    /// e.g. a loss term averaged by the caller over the epoch's batches.
    public var epochMetrics: (() -> [String: Float])?
    /// The batches of an epoch (default `UserBatches.shuffled` from `options.seed` and the epoch).
    /// It must depend only on the epoch number, so that a resumed run sees the same batches.
    public var epochBatches: ((_ epoch: Int, _ count: Int) -> [[Int]])?
    /// The seed of a step's tape, which drives dropout and sampling (default: `options.seed`
    /// mixed with the step). It must depend only on the step number, for the same reason.
    public var tapeSeed: ((_ step: Int) -> UInt64)?
    /// Stop after this many optimiser steps in total (nil: no limit); the epoch in progress still
    /// validates and checkpoints. For benchmarks that time a fixed number of steps.
    public var maximumSteps: Int?
    /// The loop's state; restored from the checkpoint on resume.
    public private(set) var state: TrainingState
    var bestWeights: [String: Tensor] = [:]

    /// Prepares a run; with `resume` and an existing checkpoint at `checkpointURL`, continues from it.
    ///
    /// Throws `TrainingError.configMismatch` if the checkpoint belongs to another configuration.
    public init(
        model: Model, options: TrainingOptions, config: String, checkpointURL: URL? = nil,
        resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws {
        try options.validate()
        self.model = model
        self.options = options
        self.config = config
        self.checkpointURL = checkpointURL
        self.progress = progress
        optimizer = Adam(
            parameters: model.parameters, learningRate: options.learningRate,
            maxGradientNorm: options.maxGradientNorm)
        state = TrainingState(options: options)
        if resume, let checkpointURL, FileManager.default.fileExists(atPath: checkpointURL.path) {
            let checkpoint = try TrainingCheckpoint(contentsOf: checkpointURL)
            guard checkpoint.config == config else {
                throw TrainingError.configMismatch(expected: config, found: checkpoint.config)
            }
            try model.loadStateDictionary(checkpoint.weights)
            try optimizer.loadStateDictionary(checkpoint.optimizer)
            bestWeights = checkpoint.bestWeights
            state = checkpoint.state
        }
        try state.earlyStopping.validate()
    }

    /// Trains `userCount` users (indices handed to `trainBatch`) until early stopping or `options.maxEpochs`.
    public func run(
        userCount: Int,
        trainBatch: (_ users: [Int], _ tape: Tape) throws -> BatchLoss,
        validate: () throws -> ValidationLoss
    ) throws -> TrainingResult {
        guard userCount > 0 else { throw TrainingError.noTrainingData("no user has a training session") }
        let clock = ContinuousClock()
        while !state.stopped, state.epoch < options.maxEpochs, state.step < maximumSteps ?? .max {
            let epoch = state.epoch + 1
            let batches =
                epochBatches?(epoch, userCount)
                ?? UserBatches.shuffled(count: userCount, batchSize: options.batchSize, seed: options.seed, epoch: epoch)
            let started = clock.now
            var lossSum = 0.0, sessions = 0, batchesWithLoss = 0
            var report = TrainingProgress(
                phase: .batch, epoch: epoch, maxEpochs: options.maxEpochs, batch: 0, batchesPerEpoch: batches.count,
                step: state.step, loss: 0, sessionsPerSecond: 0, validationLoss: nil, improved: false)
            for (index, users) in batches.enumerated() {
                if let maximumSteps, state.step >= maximumSteps { break }
                let step = state.step + 1
                let tape = Tape(isTraining: true, seed: tapeSeed?(step) ?? options.seed &+ UInt64(step) &* 0x2545_F491_4F6C_DD1D)
                let batch = try trainBatch(users, tape)
                if batch.sessions > 0 {
                    let loss = batch.loss.value.scalar
                    try checkFinite(loss, "loss", step: step)
                    tape.backward(batch.loss)
                    do {
                        try optimizer.step()
                    } catch let error as NonFiniteError {
                        // Adam counts its own steps; report the loop's step, which survives resumes.
                        throw NonFiniteError(quantity: error.quantity, step: step, value: error.value)
                    }
                    lossSum += Double(loss)
                    sessions += batch.sessions
                    batchesWithLoss += 1
                }
                state.step = step
                report.batch = index + 1
                report.step = step
                report.loss = batchesWithLoss == 0 ? 0 : Float(lossSum / Double(batchesWithLoss))
                report.sessionsPerSecond = Double(sessions) / max(Self.seconds(clock.now - started), 1e-9)
                progress?(report)
            }
            let trainSeconds = Self.seconds(clock.now - started)
            let validation = try validate()
            let decision: EarlyStopping.Decision
            if validation.sessions == 0 {
                // Nothing to validate on: the latest weights are the best we know.
                _ = state.earlyStopping.record(epoch: epoch, loss: report.loss)
                decision = .improved
            } else {
                decision = state.earlyStopping.record(epoch: epoch, loss: validation.loss)
            }
            try checkFinite(model, step: state.step)
            if decision == .improved { bestWeights = model.stateDictionary() }
            if decision == .stop { state.stopped = true }
            state.epoch = epoch
            state.history.append(
                EpochRecord(
                    epoch: epoch, trainLoss: report.loss, validationLoss: validation.sessions == 0 ? .nan : validation.loss,
                    sessionsPerSecond: Double(sessions) / max(trainSeconds, 1e-9), metrics: epochMetrics?()))
            report.phase = .epochEnd
            report.validationLoss = validation.sessions == 0 ? nil : validation.loss
            report.improved = decision == .improved
            progress?(report)
            if let checkpointURL { try checkpoint().write(to: checkpointURL) }
        }
        if !bestWeights.isEmpty { try model.loadStateDictionary(bestWeights) }
        return TrainingResult(state: state)
    }

    /// The current checkpoint (weights, best weights, Adam state, loop state).
    public func checkpoint() -> TrainingCheckpoint {
        TrainingCheckpoint(
            weights: model.stateDictionary(), bestWeights: bestWeights,
            optimizer: optimizer.stateDictionary(), state: state, options: options, config: config)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
