import Foundation
import Listening

extension RunRecord {
    /// The record of a finished training run: config `{"model": …, "training": options}`,
    /// metrics `{"bestEpoch", "bestValidationLoss", "epochs", "steps", "stopped", "history"}`.
    public static func training(
        model: String, config: some Encodable, options: TrainingOptions, result: TrainingResult,
        startedAt: Int64, finishedAt: Int64 = RunRecord.now
    ) throws -> RunRecord {
        let state = result.state
        return RunRecord(
            kind: "train", model: model, config: try TrainingJSON.encode(TrainingRunConfig(model: config, training: options)),
            seed: options.seed,
            metrics: try TrainingJSON.encode(
                TrainingRunMetrics(
                    bestEpoch: result.bestEpoch, bestValidationLoss: result.bestValidationLoss, epochs: state.epoch,
                    steps: state.step, stopped: state.stopped, history: state.history)),
            startedAt: startedAt, finishedAt: finishedAt)
    }
}

/// The config JSON of a training run record.
struct TrainingRunConfig<Model: Encodable>: Encodable {
    var model: Model
    var training: TrainingOptions
}

/// The metrics JSON of a training run record.
struct TrainingRunMetrics: Encodable {
    var bestEpoch: Int
    var bestValidationLoss: Float
    var epochs: Int
    var steps: Int
    var stopped: Bool
    var history: [EpochRecord]
}
