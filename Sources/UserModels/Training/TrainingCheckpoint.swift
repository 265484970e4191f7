import Foundation
import Tensor

/// Where a training run stands: enough, with the weights and Adam's moments, to resume exactly.
public struct TrainingState: Sendable, Hashable, Codable {
    /// Epochs completed.
    public var epoch = 0
    /// Optimiser steps taken.
    public var step = 0
    /// The early-stopping monitor.
    public var earlyStopping: EarlyStopping
    /// Whether early stopping has ended the run.
    public var stopped = false
    /// Every finished epoch.
    public var history: [EpochRecord] = []

    /// A fresh state for `options`.
    public init(options: TrainingOptions) {
        earlyStopping = EarlyStopping(patience: options.patience, minimumImprovement: options.minimumImprovement)
    }
}

/// A resumable training checkpoint in one safetensors file.
///
/// Tensors: the model's parameters under their own names, the best weights so far under
/// `best.<name>`, and Adam's moments under `adam.*`. Metadata: `config` (the model's config
/// JSON, as in a plain model file), `training` (the `TrainingState` JSON) and `options`.
/// The file is written atomically, so a crash leaves the previous checkpoint intact.
public struct TrainingCheckpoint {
    /// The model's current parameters by name.
    public var weights: [String: Tensor]
    /// The parameters of the best validation epoch.
    public var bestWeights: [String: Tensor]
    /// Adam's state (`Adam.stateDictionary()`).
    public var optimizer: [String: Tensor]
    /// The loop's state.
    public var state: TrainingState
    /// The options the run was started with.
    public var options: TrainingOptions
    /// The model's config JSON.
    public var config: String

    static let bestPrefix = "best."

    /// Writes the checkpoint atomically to `url`.
    public func write(to url: URL) throws {
        var tensors = weights.merging(optimizer) { current, _ in current }
        for (name, tensor) in bestWeights { tensors[Self.bestPrefix + name] = tensor }
        let metadata = [
            "config": config,
            "training": try TrainingJSON.encode(state),
            "options": try TrainingJSON.encode(options),
            "format": "setlist.training-checkpoint.v1",
        ]
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Reads a checkpoint written by `write(to:)`.
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        guard let training = file.metadata["training"], let options = file.metadata["options"] else {
            throw TrainingError.notACheckpoint(path: url.path)
        }
        state = try TrainingJSON.decode(TrainingState.self, from: training)
        self.options = try TrainingJSON.decode(TrainingOptions.self, from: options)
        config = file.metadata["config"] ?? "{}"
        var weights: [String: Tensor] = [:], best: [String: Tensor] = [:], optimizer: [String: Tensor] = [:]
        for (name, tensor) in file.tensors {
            if name.hasPrefix(Self.bestPrefix) {
                best[String(name.dropFirst(Self.bestPrefix.count))] = tensor
            } else if name.hasPrefix("adam.") {
                optimizer[name] = tensor
            } else {
                weights[name] = tensor
            }
        }
        self.weights = weights
        bestWeights = best
        self.optimizer = optimizer
    }

    /// Creates a checkpoint from its parts.
    public init(
        weights: [String: Tensor], bestWeights: [String: Tensor], optimizer: [String: Tensor],
        state: TrainingState, options: TrainingOptions, config: String
    ) {
        self.weights = weights
        self.bestWeights = bestWeights
        self.optimizer = optimizer
        self.state = state
        self.options = options
        self.config = config
    }
}

/// Errors of the training utilities.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The file is a safetensors file but not a training checkpoint.
    case notACheckpoint(path: String)
    /// The checkpoint was written for another model configuration.
    case configMismatch(expected: String, found: String)
    /// There is nothing to train on.
    case noTrainingData(String)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .notACheckpoint(let path): "\(path) is not a training checkpoint (no training state in its metadata)"
        case .configMismatch(let expected, let found):
            "the checkpoint was written for another model configuration: expected \(expected), found \(found)"
        case .noTrainingData(let detail): "nothing to train on: \(detail)"
        }
    }
}
