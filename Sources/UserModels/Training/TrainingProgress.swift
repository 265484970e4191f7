/// A progress report from a training loop, for progress bars and logs.
public struct TrainingProgress: Sendable, Hashable {
    /// Where in the loop the report comes from.
    public enum Phase: Sendable, Hashable {
        /// After a training batch.
        case batch
        /// After an epoch's validation.
        case epochEnd
    }

    /// The phase of this report.
    public var phase: Phase
    /// The current epoch, 1-based.
    public var epoch: Int
    /// The epoch limit.
    public var maxEpochs: Int
    /// Batches done in this epoch.
    public var batch: Int
    /// Batches per epoch.
    public var batchesPerEpoch: Int
    /// Optimiser steps done since the start of training (including resumed ones).
    public var step: Int
    /// Mean training loss over this epoch's batches so far.
    public var loss: Float
    /// Training throughput in this epoch: sessions (loss terms) per wall-clock second.
    public var sessionsPerSecond: Double
    /// The validation loss, at `epochEnd`.
    public var validationLoss: Float?
    /// Whether this epoch was the best so far, at `epochEnd`.
    public var improved: Bool

    /// Share of the epoch done, 0…1.
    public var epochFraction: Double { batchesPerEpoch == 0 ? 1 : Double(batch) / Double(batchesPerEpoch) }
}

/// One finished epoch, kept in the training state and the run record.
public struct EpochRecord: Sendable, Hashable, Codable {
    /// 1-based epoch.
    public var epoch: Int
    /// Mean training loss.
    public var trainLoss: Float
    /// Validation loss (NaN when there is no validation data).
    public var validationLoss: Float
    /// Training sessions per second.
    public var sessionsPerSecond: Double
    /// Model-specific figures of the epoch (`TrainingLoop.epochMetrics`), nil when the model reports none.
    public var metrics: [String: Float]? = nil
}
