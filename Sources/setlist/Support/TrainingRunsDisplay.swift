import Foundation
import UserModels

/// The progress of an experiment's training runs on one line: a bar per run, or, when runs train at
/// once, one bar over all of them with each run's epoch and validation loss.
final class TrainingRunsDisplay {
    private struct Run {
        var label: String
        var done = 0
        var total = 1
        var detail = ""
    }

    /// Runs in progress, by "model seed".
    private var active: [String: Run] = [:]
    private var order: [String] = []
    private var bar: ProgressBar?

    private static func key(_ model: String, _ seed: UInt64) -> String { "\(model) seed \(seed)" }

    /// Opens the `run`-th of `runs` trainings.
    func start(model: String, seed: UInt64, run: Int, runs: Int) {
        let key = Self.key(model, seed)
        active[key] = Run(label: "[\(run)/\(runs)] \(key)")
        order.append(key)
        redraw(newBar: true)
    }

    /// Moves a run to the loop's position; `validationLabel` names the validation loss ("val", "val cos").
    func update(model: String, seed: UInt64, _ p: TrainingProgress, validationLabel: String, extra: String = "") {
        let key = Self.key(model, seed)
        guard var run = active[key] else { return }
        run.done = (p.epoch - 1) * p.batchesPerEpoch + p.batch
        run.total = p.maxEpochs * p.batchesPerEpoch
        run.detail =
            "epoch \(p.epoch) loss \(String(format: "%.4f", p.loss))"
            + (p.validationLoss.map { String(format: " \(validationLabel) %.4f", $0) } ?? "") + extra
        active[key] = run
        redraw()
    }

    /// Ends a run with a summary line.
    func finish(model: String, seed: UInt64, _ detail: String) {
        let key = Self.key(model, seed)
        guard let run = active.removeValue(forKey: key) else { return }
        order.removeAll { $0 == key }
        if order.isEmpty {
            bar?.finish(run.done, detail: detail)
            bar = nil
        } else {
            bar?.note("\(run.label): \(detail)")
            redraw(newBar: true)
        }
    }

    private func redraw(newBar: Bool = false) {
        let runs = order.compactMap { active[$0] }
        guard let first = runs.first else { return }
        if newBar || bar == nil {
            // The new bar's first draw overwrites the old one's line.
            bar = ProgressBar(runs.count == 1 ? first.label : "\(runs.count) runs", total: 1, unit: "batches")
        }
        let detail =
            runs.count == 1
            ? first.detail
            : runs.map {
                "\($0.label.split(separator: " ").dropFirst().joined(separator: " ")) \($0.detail.split(separator: " ").prefix(2).joined(separator: " "))"
            }
            .joined(separator: " · ")
        bar?.update(runs.reduce(0) { $0 + $1.done }, total: runs.reduce(0) { $0 + $1.total }, detail: detail)
    }
}
