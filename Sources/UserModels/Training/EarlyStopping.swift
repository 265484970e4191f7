import Listening

/// Stops training when the validation loss has not improved for `patience` epochs.
public struct EarlyStopping: Sendable, Hashable, Codable {
    /// Epochs without improvement tolerated.
    public let patience: Int
    /// Smallest decrease that counts as an improvement.
    public let minimumImprovement: Float
    /// The best validation loss so far (infinity before the first epoch).
    public private(set) var bestLoss: Float = .infinity
    /// The epoch (1-based) of the best loss, 0 before the first.
    public private(set) var bestEpoch = 0
    /// Epochs since the last improvement.
    public private(set) var epochsWithoutImprovement = 0

    /// What to do after an epoch.
    public enum Decision: Sendable, Hashable {
        /// A new best: keep these weights.
        case improved
        /// No improvement yet, keep going.
        case wait
        /// Patience exhausted: stop and restore the best weights.
        case stop
    }

    /// A monitor with the given patience; `TrainingLoop` calls `validate()` before using it.
    public init(patience: Int, minimumImprovement: Float = 0) {
        self.patience = patience
        self.minimumImprovement = minimumImprovement
    }

    /// Throws a `ConfigurationError` for a negative patience or a negative or non-finite minimum improvement.
    public func validate() throws {
        try ConfigurationError.require(patience >= 0, "early stopping", field: "patience", allowed: "≥ 0", value: patience)
        try ConfigurationError.require(
            minimumImprovement >= 0 && minimumImprovement.isFinite, "early stopping", field: "minimumImprovement",
            allowed: "a finite number ≥ 0", value: minimumImprovement)
    }

    /// Records the validation loss of `epoch` and decides.
    public mutating func record(epoch: Int, loss: Float) -> Decision {
        if loss.isFinite, bestLoss - loss > minimumImprovement || bestEpoch == 0 {
            bestLoss = loss
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            return .improved
        }
        epochsWithoutImprovement += 1
        return epochsWithoutImprovement > patience ? .stop : .wait
    }
}
