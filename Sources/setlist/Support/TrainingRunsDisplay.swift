import Foundation
import UserModels

/// The progress of an experiment's training runs: one bar per run, counting batches over the epoch budget.
final class TrainingRunsDisplay {
    private var bar: ProgressBar?
    private var batches = 0

    /// Opens the bar of the `run`-th of `runs` trainings.
    func start(model: String, seed: UInt64, run: Int, runs: Int) {
        batches = 0
        bar = ProgressBar("[\(run)/\(runs)] \(model) seed \(seed)", total: 1, unit: "batches")
    }

    /// Moves the bar to the loop's position; `validationLabel` names the validation loss ("val", "val cos").
    func update(_ p: TrainingProgress, validationLabel: String, extra: String = "") {
        batches = (p.epoch - 1) * p.batchesPerEpoch + p.batch
        bar?.update(batches, total: p.maxEpochs * p.batchesPerEpoch,
                    detail: "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))"
                        + (p.validationLoss.map { String(format: " \(validationLabel) %.4f", $0) } ?? "") + extra)
    }

    /// Closes the bar with a summary of the run.
    func finish(_ detail: String) {
        bar?.finish(batches, detail: detail)
        bar = nil
    }
}
