import Foundation
import UserModels

/// Where a training run (or a track space's word2vec run) shows its progress: a bar of its own, or its
/// part of a line shared with runs beside it.
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

    /// Reports the finished share of a run counted in other units than batches (word2vec's words).
    func report(fraction: Double) { display.report(slot, fraction: fraction) }

    /// Prints a line of its own above the progress line (an epoch's losses, say).
    func note(_ line: String) { display.note(line) }

    /// Ends this run's part; the line ends when every run sharing it has ended.
    func finish(_ detail: String) { display.finish(slot, detail: detail) }
}

/// One progress line for one or more runs, safe to call from their threads.
///
/// A run alone counts batches; runs that share the line may count different things (batches,
/// words), so the shared line shows the mean of their finished shares, the ETA, and what each
/// running part is doing ("CoSeRNN 4/12 val 0.2458 · 80-d space 45%"). Parts not yet started
/// and parts finished are left out of it.
final class TrainingDisplay: @unchecked Sendable {
    private struct Part {
        var name: String
        var done = 0
        var total = 1
        var detail = ""
        var started = false
        var finished = false
        var share: Double { min(1, Double(done) / Double(max(total, 1))) }
    }

    private let lock = NSLock()
    private let bar: ProgressBar
    private var parts: [Part]
    private var isShared: Bool { parts.count > 1 }
    /// The shared line's resolution: its bar counts ten-thousandths of the whole.
    private static let sharedTotal = 10_000

    /// A line labelled `label` for runs named `names` (in the order their reporters are returned).
    init(label: String, names: [String]) {
        bar = ProgressBar(label, total: names.count > 1 ? Self.sharedTotal : 1, unit: names.count > 1 ? nil : "batches")
        parts = names.map { Part(name: $0) }
    }

    /// One reporter per name given to `init`.
    var reporters: [TrainingReporter] { parts.indices.map { TrainingReporter(display: self, slot: $0) } }

    fileprivate func report(_ slot: Int, _ p: TrainingProgress, detail: String) {
        lock.withLock {
            parts[slot].started = true
            parts[slot].done = (p.epoch - 1) * p.batchesPerEpoch + p.batch
            parts[slot].total = p.maxEpochs * p.batchesPerEpoch
            // Shared, each run shows only its epoch and latest validation loss, so the line stays short.
            parts[slot].detail =
                isShared
                ? "\(parts[slot].name) \(p.epoch)/\(p.maxEpochs)" + (p.validationLoss.map { String(format: " val %.4f", $0) } ?? "")
                : detail
            redraw()
        }
    }

    fileprivate func report(_ slot: Int, fraction: Double) {
        lock.withLock {
            parts[slot].started = true
            parts[slot].total = Self.sharedTotal
            parts[slot].done = Int((min(max(fraction, 0), 1) * Double(Self.sharedTotal)).rounded())
            parts[slot].detail = String(format: "%@ %.0f%%", parts[slot].name, parts[slot].share * 100)
            redraw()
        }
    }

    fileprivate func note(_ line: String) {
        lock.withLock { bar.note(line) }
    }

    fileprivate func finish(_ slot: Int, detail: String) {
        lock.withLock {
            parts[slot].started = true
            parts[slot].finished = true
            parts[slot].done = parts[slot].total
            if !isShared { parts[slot].detail = detail }
            if parts.allSatisfy(\.finished) {
                bar.finish(done, detail: combinedDetail)
            } else {
                redraw()
            }
        }
    }

    /// Batches done alone; ten-thousandths of the mean share done when shared.
    private var done: Int {
        guard isShared else { return parts[0].done }
        return Int((parts.reduce(0.0) { $0 + $1.share } / Double(parts.count) * Double(Self.sharedTotal)).rounded())
    }

    private func redraw() {
        bar.update(done, total: isShared ? Self.sharedTotal : parts[0].total, detail: combinedDetail)
    }

    private var combinedDetail: String {
        guard isShared else { return parts[0].detail }
        return parts.filter { $0.started && !$0.finished }.map(\.detail).filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
