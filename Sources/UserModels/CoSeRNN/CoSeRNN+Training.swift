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
        // Inputs do not depend on the weights: build them once, not every epoch.
        let training = users.compactMap { sessions -> CoSeRNNUserFeatures? in
            let train = split.ranges(count: sessions.count).train
            return train.isEmpty ? nil : features(of: sessions[train])
        }
        let validation = scoredFeatures(users: users, split: split, part: .validation)
        let loop = try TrainingLoop(model: self, options: options, config: configJSON, checkpointURL: checkpoint,
                                    resume: resume, progress: progress)
        defer { prefixCache.removeAll() }
        return try loop.run(
            userCount: training.count,
            trainBatch: { indices, tape in
                let batch = self.batch(indices.map { training[$0] }) { _, _ in true }
                let (prediction, _) = self.forward(tape.constant(batch.inputs), longTerm: batch.longTerm, mask: batch.mask)
                let loss = Loss.cosineDistance(prediction, tape.constant(batch.targets), mask: batch.lossMask)
                return BatchLoss(loss: loss, sessions: batch.scored)
            },
            validate: { self.loss(validation, batchSize: options.batchSize) })
    }

    /// The mean loss 1 − cos(u, target) over the sessions of one split part (no gradients).
    public func loss(users: [[Session]], split: TimeSplit = TimeSplit(), part: SplitPart, batchSize: Int = 256) -> ValidationLoss {
        loss(scoredFeatures(users: users, split: split, part: part), batchSize: batchSize)
    }

    /// Each user's features up to the end of `part`, with the range of `part` to score.
    func scoredFeatures(users: [[Session]], split: TimeSplit, part: SplitPart) -> [(features: CoSeRNNUserFeatures, scored: Range<Int>)] {
        users.compactMap { sessions in
            let ranges = split.ranges(count: sessions.count)
            let scored = part == .train ? ranges.train : (part == .validation ? ranges.validation : ranges.test)
            guard !scored.isEmpty else { return nil }
            return (features(of: sessions[sessions.startIndex..<(sessions.startIndex + scored.upperBound)]), scored)
        }
    }

    func loss(_ sequences: [(features: CoSeRNNUserFeatures, scored: Range<Int>)], batchSize: Int) -> ValidationLoss {
        var total = 0.0, count = 0
        for chunk in UserBatches.inOrder(Array(sequences.indices), batchSize: batchSize) {
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
