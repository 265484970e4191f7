import Foundation
import Listening
import Tensor

/// What a training checkpoint of a LatentCross must match to be resumed.
struct LatentCrossCheckpointConfig: Codable {
    var model = "LatentCross"
    var dimension: Int
    var config: LatentCrossConfig
}

extension LatentCross {
    /// Trains on every play of each user's training sessions; the validation sessions' next-track
    /// loss drives early stopping, so it is comparable with FS-VAE's.
    ///
    /// `users` holds each user's sessions in time order; `split` decides which are training,
    /// validation and test (never read). Each training play with a track vector is a target,
    /// predicted from the user's earlier training plays. Long histories are cut into windows of
    /// `config.windowLength` scored plays after `config.warmUpLength` unscored ones (truncated
    /// backpropagation through time); `options.batchSize` counts windows, and with
    /// `config.windowsPerEpoch` each epoch trains on a seeded sample of them. Validation runs the
    /// GRU over each user's whole training history and scores every play of the validation sessions.
    /// With `checkpoint`, a resumable checkpoint is written after every epoch; with `resume` too, an
    /// interrupted run continues from it and ends exactly as an uninterrupted one would. Ends with
    /// the best epoch's weights.
    @discardableResult
    public func train(
        users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(), options: TrainingOptions,
        checkpoint: URL? = nil, resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        guard tracks.dimension == dimension else { throw LatentCrossError.dimensionMismatch(expected: dimension, found: tracks.dimension) }
        try split.validate()
        var training: [LatentCrossSequence] = []
        var validation: [LatentCrossSequence] = []
        var validationWindows: [LatentCrossWindow] = []
        for sessions in users {
            let parts = split.ranges(of: sessions)
            if !parts.train.isEmpty { training.append(LatentCrossSequence(sessions: sessions[parts.train])) }
            guard !parts.validation.isEmpty else { continue }
            let sequence = LatentCrossSequence(
                sessions: sessions[sessions.startIndex..<(sessions.startIndex + parts.validation.upperBound)])
            let first = sequence.sessionStarts[parts.validation.lowerBound - sessions.startIndex]
            validationWindows.append(
                LatentCrossWindow(sequence: validation.count, steps: 0..<sequence.count, scored: first..<sequence.count))
            validation.append(sequence)
        }
        let windows = training.enumerated().flatMap { index, sequence in
            sequence.windows(sequence: index, length: config.windowLength, warmUp: config.warmUpLength)
        }
        guard !windows.isEmpty, training.contains(where: { $0.count > 0 }) else { throw LatentCrossError.noTrainingData }
        let loop = try TrainingLoop(
            model: self, options: options, config: try checkpointConfigJSON, checkpointURL: checkpoint,
            resume: resume, progress: progress)
        let perEpoch = config.windowsPerEpoch ?? windows.count
        let (seed, batchSize) = (options.seed, options.batchSize)
        loop.epochBatches = { epoch, count in
            Self.epochBatches(count: count, sample: perEpoch, batchSize: batchSize, seed: seed, epoch: epoch)
        }
        return try loop.run(
            userCount: windows.count,
            trainBatch: { indices, tape in
                let batch = self.batch(indices.map { windows[$0] }, sequences: training, tracks: tracks)
                return BatchLoss(loss: self.loss(batch, tape: tape), sessions: batch.scored)
            },
            validate: { self.loss(validationWindows, sequences: validation, tracks: tracks, stepBudget: options.batchSize * 1024) })
    }

    /// The config text a training checkpoint must match to be resumed: the model, its config and the track dimension.
    public var checkpointConfigJSON: String {
        get throws { try TrainingJSON.encode(LatentCrossCheckpointConfig(dimension: dimension, config: config)) }
    }

    /// The batches of `epoch`: a shuffle seeded by (seed, epoch), its first `sample` windows, cut in batches.
    static func epochBatches(count: Int, sample: Int, batchSize: Int, seed: UInt64, epoch: Int) -> [[Int]] {
        var order = Array(0..<count)
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 0xD1B5_4A32_D192_ED03 &+ 0x1A7E)
        order.shuffle(using: &random)
        return UserBatches.inOrder(Array(order.prefix(sample)), batchSize: batchSize)
    }

    /// The mean cosine distance over the scored steps of `windows` (no gradients), in batches of about `stepBudget` padded steps.
    func loss(_ windows: [LatentCrossWindow], sequences: [LatentCrossSequence], tracks: TrackVectors, stepBudget: Int) -> ValidationLoss {
        var total = 0.0, count = 0
        for chunk in UserBatches.byLength(windows.map(\.steps.count), batchSize: 256, stepBudget: stepBudget) {
            let batch = self.batch(chunk.map { windows[$0] }, sequences: sequences, tracks: tracks)
            guard batch.scored > 0 else { continue }
            let loss = self.loss(batch, tape: Tape(isTraining: false))
            total += Double(loss.value.scalar) * Double(batch.scored)
            count += batch.scored
        }
        return ValidationLoss(loss: count == 0 ? .nan : Float(total / Double(count)), sessions: count)
    }

    /// The mean next-track cosine distance over every play of the `part` sessions of `users`.
    public func loss(users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(), part: SplitPart) -> ValidationLoss {
        var sequences: [LatentCrossSequence] = [], windows: [LatentCrossWindow] = []
        for sessions in users {
            let range = split.range(part, of: sessions)
            guard !range.isEmpty else { continue }
            let sequence = LatentCrossSequence(sessions: sessions[sessions.startIndex..<(sessions.startIndex + range.upperBound)])
            let first = sequence.sessionStarts[range.lowerBound]
            windows.append(LatentCrossWindow(sequence: sequences.count, steps: 0..<sequence.count, scored: first..<sequence.count))
            sequences.append(sequence)
        }
        return loss(windows, sequences: sequences, tracks: tracks, stepBudget: 64 * 1024)
    }
}
