import Foundation
import UserModels

/// Where a training run shows its progress: a bar of its own, or its part of a line shared with runs beside it.
///
/// Sendable because every use of the display goes through `TrainingDisplay`'s lock.
final class TrainingReporter: @unchecked Sendable {
    private let display: TrainingDisplay
    private let slot: Int

    fileprivate init(display: TrainingDisplay, slot: Int) {
        self.display = display
        self.slot = slot
    }

    /// A reporter with a progress bar of its own, labelled `label`.
    static func bar(_ label: String) -> TrainingReporter {
        TrainingDisplay(label: label, names: [label]).reporters[0]
    }

    /// Reports a batch or an epoch end; `detail` is shown when the run has the line to itself.
    func report(_ progress: TrainingProgress, detail: String) { display.report(slot, progress, detail: detail) }

    /// Prints a line of its own above the progress line (an epoch's losses, say).
    func note(_ line: String) { display.note(line) }

    /// Ends this run's part; the line ends when every run sharing it has ended.
    func finish(_ detail: String) { display.finish(slot, detail: detail) }
}

/// One progress line for one or more trainings running at once, safe to call from their threads.
final class TrainingDisplay: @unchecked Sendable {
    private struct Part {
        var name: String
        var done = 0
        var total = 1
        var detail = ""
        var finished = false
    }

    private let lock = NSLock()
    private let bar: ProgressBar
    private var parts: [Part]

    /// A line labelled `label` for runs named `names` (in the order their reporters are returned).
    init(label: String, names: [String]) {
        bar = ProgressBar(label, total: 1, unit: "batches")
        parts = names.map { Part(name: $0) }
    }

    /// One reporter per name given to `init`.
    var reporters: [TrainingReporter] { parts.indices.map { TrainingReporter(display: self, slot: $0) } }

    fileprivate func report(_ slot: Int, _ p: TrainingProgress, detail: String) {
        lock.withLock {
            parts[slot].done = (p.epoch - 1) * p.batchesPerEpoch + p.batch
            parts[slot].total = p.maxEpochs * p.batchesPerEpoch
            // Shared, each run shows only its epoch and latest validation loss, so the line stays short.
            parts[slot].detail =
                parts.count == 1
                ? detail
                : "\(parts[slot].name) \(p.epoch)/\(p.maxEpochs)" + (p.validationLoss.map { String(format: " val %.4f", $0) } ?? "")
            bar.update(parts.reduce(0) { $0 + $1.done }, total: parts.reduce(0) { $0 + $1.total }, detail: combinedDetail)
        }
    }

    fileprivate func note(_ line: String) {
        lock.withLock { bar.note(line) }
    }

    fileprivate func finish(_ slot: Int, detail: String) {
        lock.withLock {
            parts[slot].finished = true
            parts[slot].done = parts[slot].total
            parts[slot].detail = parts.count == 1 ? detail : "\(parts[slot].name) done"
            if parts.allSatisfy(\.finished) {
                bar.finish(parts.reduce(0) { $0 + $1.done }, detail: combinedDetail)
            } else {
                bar.update(parts.reduce(0) { $0 + $1.done }, detail: combinedDetail)
            }
        }
    }

    private var combinedDetail: String { parts.map(\.detail).filter { !$0.isEmpty }.joined(separator: " · ") }
}
