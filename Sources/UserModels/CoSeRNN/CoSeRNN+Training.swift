import Foundation
import Listening
import Tensor

extension CoSeRNN {
    /// Trains on the train part of every user's sessions, early-stopping on the validation part.
    ///
    /// `users` holds each user's sessions in time order. Per user, `split` reserves the last
    /// sessions for validation and test: training reads only the train part, validation runs
    /// the LSTM over train + validation sessions and scores the validation ones, and the test
    /// part is never read. With `checkpoint`, a resumable checkpoint is written after every
    /// epoch; with `resume` too, training continues from it. Ends with the best epoch's weights.
    @discardableResult
    public func train(
        users: [[Session]], split: TimeSplit = TimeSplit(), options: TrainingOptions = TrainingOptions(),
        checkpoint: URL? = nil, resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        try split.validate()
        try options.validate()
        // Inputs do not depend on the weights: build them once, not every epoch.
        let training = users.compactMap { sessions -> CoSeRNNUserFeatures? in
            let train = split.ranges(of: sessions).train
            return train.isEmpty ? nil : features(of: sessions[train])
        }
        // Long histories (thousands of sessions on real logs) train in windows, so memory stays bounded.
        let windows = training.flatMap { $0.trainingWindows(length: options.maxSequenceLength, warmUp: options.warmUpLength) }
        let validation = scoredFeatures(users: users, split: split, part: .validation)
        let stepBudget = options.batchSize * (options.maxSequenceLength + options.warmUpLength)
        let loop = try TrainingLoop(
            model: self, options: options, config: configJSON, checkpointURL: checkpoint,
            resume: resume, progress: progress)
        defer { prefixCache.removeAll() }
        return try loop.run(
            userCount: windows.count,
            trainBatch: { indices, tape in
                let batch = self.batch(indices.map { windows[$0].features }) { row, t in t >= windows[indices[row]].scoredFrom }
                let (prediction, _) = self.forward(tape.constant(batch.inputs), longTerm: batch.longTerm, mask: batch.mask)
                let loss = Loss.cosineDistance(prediction, tape.constant(batch.targets), mask: batch.lossMask)
                return BatchLoss(loss: loss, sessions: batch.scored)
            },
            validate: { self.loss(validation, batchSize: options.batchSize, stepBudget: stepBudget) })
    }

    /// The mean loss 1 − cos(u, target) over the sessions of one split part (no gradients).
    public func loss(users: [[Session]], split: TimeSplit = TimeSplit(), part: SplitPart, batchSize: Int = 256) -> ValidationLoss {
        loss(
            scoredFeatures(users: users, split: split, part: part), batchSize: batchSize,
            stepBudget: batchSize * (TrainingOptions().maxSequenceLength + TrainingOptions().warmUpLength))
    }

    /// Each user's features up to the end of `part`, with the range of `part` to score.
    func scoredFeatures(users: [[Session]], split: TimeSplit, part: SplitPart) -> [(features: CoSeRNNUserFeatures, scored: Range<Int>)] {
        users.compactMap { sessions in
            let ranges = split.ranges(of: sessions)
            let scored = part == .train ? ranges.train : (part == .validation ? ranges.validation : ranges.test)
            guard !scored.isEmpty else { return nil }
            return (features(of: sessions[sessions.startIndex..<(sessions.startIndex + scored.upperBound)]), scored)
        }
    }

    /// The mean loss over `sequences`, in batches of at most `batchSize` users and about `stepBudget` padded steps.
    func loss(_ sequences: [(features: CoSeRNNUserFeatures, scored: Range<Int>)], batchSize: Int, stepBudget: Int) -> ValidationLoss {
        var total = 0.0, count = 0
        let batches = UserBatches.byLength(sequences.map(\.features.count), batchSize: batchSize, stepBudget: stepBudget)
        for chunk in batches {
            let batch = self.batch(chunk.map { sequences[$0].features }) { row, t in sequences[chunk[row]].scored.contains(t) }
            guard batch.scored > 0 else { continue }
            let tape = Tape(isTraining: false)
            let (prediction, _) = forward(tape.constant(batch.inputs), longTerm: batch.longTerm, mask: batch.mask)
            let loss = Loss.cosineDistance(prediction, tape.constant(batch.targets), mask: batch.lossMask)
            total += Double(loss.value.scalar) * Double(batch.scored)
            count += batch.scored
        }
        return ValidationLoss(loss: count == 0 ? .nan : Float(total / Double(count)), sessions: count)
    }

    /// Padded tensors for a batch of users' features; `scored(row, t)` picks the sessions in the loss.
    func batch(_ rows: [CoSeRNNUserFeatures], scored: (Int, Int) -> Bool) -> CoSeRNNBatch {
        let shape = SequenceBatch(lengths: rows.map(\.count))
        let lossMask = shape.stepMask { row, t in rows[row].hasTarget[t] && scored(row, t) }
        let d = config.dimension
        return CoSeRNNBatch(
            inputs: shape.pad(width: layout.width, rows: rows.map(\.inputs)),
            longTerm: shape.pad(width: d, rows: rows.map(\.longTerm)),
            targets: shape.pad(width: d, rows: rows.map(\.targets)),
            mask: shape.mask, lossMask: lossMask,
            scored: Int(lossMask.scalars.reduce(0, +)))
    }
}

/// The padded tensors of one CoSeRNN batch.
struct CoSeRNNBatch {
    /// `[B, T, I]`.
    var inputs: Tensor
    /// `[B, T, D]`.
    var longTerm: Tensor
    /// `[B, T, D]`.
    var targets: Tensor
    /// `[B, T]` real steps.
    var mask: Tensor
    /// `[B, T]` steps in the loss.
    var lossMask: Tensor
    /// Number of steps in the loss.
    var scored: Int
}

extension CoSeRNNUserFeatures {
    /// Rows `range` of these features.
    func slice(_ range: Range<Int>) -> CoSeRNNUserFeatures {
        let width = count == 0 ? 0 : inputs.count / count, d = count == 0 ? 0 : targets.count / count
        return CoSeRNNUserFeatures(
            count: range.count,
            inputs: Array(inputs[(range.lowerBound * width)..<(range.upperBound * width)]),
            targets: Array(targets[(range.lowerBound * d)..<(range.upperBound * d)]),
            longTerm: Array(longTerm[(range.lowerBound * d)..<(range.upperBound * d)]),
            hasTarget: Array(hasTarget[range]))
    }

    /// Training windows (truncated backpropagation through time): consecutive runs of at most `length`
    /// scored sessions; each but the first starts `warmUp` sessions earlier, unscored, to warm up the LSTM.
    /// A history of at most `length` sessions is one window, whole.
    func trainingWindows(length: Int, warmUp: Int) -> [(features: CoSeRNNUserFeatures, scoredFrom: Int)] {
        guard count > length else { return [(self, 0)] }
        return stride(from: 0, to: count, by: length).map { start in
            let from = max(0, start - warmUp)
            return (slice(from..<min(count, start + length)), start - from)
        }
    }
}
