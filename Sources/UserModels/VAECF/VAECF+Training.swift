import Foundation
import Listening
import Tensor

/// What a training checkpoint of a VAE-CF must match to be resumed.
struct VAECFCheckpointConfig: Codable {
    var config: VAECFConfig
    var catalogueSize: Int
    var trackCount: Int
    /// FNV-1a of the catalogue's track ids: another catalogue of the same size is another model.
    var catalogueHash: UInt64
}

extension VAECF {
    /// Trains on each user's bag of training-period plays; validation sessions drive early stopping.
    ///
    /// One example is one user: the play counts of their training sessions over the catalogue.
    /// Batches of users (`options.batchSize`), Adam, clipping, patience and seed all come from
    /// `options` through the shared `TrainingLoop`, so with `checkpoint` a resumable checkpoint is
    /// written after every epoch and `resume` continues an interrupted run exactly. β grows
    /// linearly over `config.annealingSteps` optimiser steps (counted by the loop, so resumes keep it).
    ///
    /// The validation loss is the mean negative log-probability of the validation sessions' plays
    /// (those in the catalogue) given the user's training plays (one fold-in per user, as the
    /// paper's held-out users); test sessions are never read. `tracks` is only checked against the catalogue's track table.
    @discardableResult
    public func train(
        users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(), options: TrainingOptions,
        checkpoint: URL? = nil, resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        guard tracks.count == catalogue.trackCount else {
            throw VAECFError.trackCountMismatch(expected: catalogue.trackCount, found: tracks.count)
        }
        try split.validate()
        let bags = VAECFBags(users: users, split: split, catalogue: catalogue)
        guard bags.count > 0 else { throw VAECFError.noTrainingData }
        let validation = users.compactMap { sessions -> (sessions: [Session], part: Range<Int>)? in
            let part = split.range(.validation, of: sessions)
            return part.isEmpty ? nil : (sessions, part)
        }
        let loop = try TrainingLoop(
            model: self, options: options, config: try checkpointConfigJSON,
            checkpointURL: checkpoint, resume: resume, progress: progress)
        var likelihoodSum: Float = 0, klSum: Float = 0, batches = 0
        loop.epochMetrics = {
            defer { (likelihoodSum, klSum, batches) = (0, 0, 0) }
            let n = Float(max(1, batches))
            return [Self.likelihoodMetric: likelihoodSum / n, Self.klMetric: klSum / n]
        }
        let items = catalogue.count
        return try loop.run(
            userCount: bags.count,
            trainBatch: { indices, tape in
                // The loop's step counter survives resumes, so the annealing does too.
                let beta = self.config.beta(step: loop.state.step + 1)
                let loss = self.loss(counts: bags.counts(indices, items: items), tape: tape, beta: beta)
                likelihoodSum += loss.likelihood.value.scalar
                klSum += loss.kl.value.scalar
                batches += 1
                return BatchLoss(loss: loss.total, sessions: indices.count)
            },
            validate: { self.validationLoss(validation) })
    }

    /// Mean negative log-probability per scored play over the given sessions' `part`s.
    ///
    /// As in the paper's held-out protocol, each user is folded in once, from every play before
    /// the part, and all the part's plays are scored from that one softmax (one decoder row per
    /// user, scored in cross-user chunks so the product has hundreds of rows).
    func validationLoss(_ users: [(sessions: [Session], part: Range<Int>)]) -> ValidationLoss {
        var queries = VAECFQueries()
        var targets: [[Int]] = []
        for user in users where !user.part.isEmpty {
            let start = user.part.lowerBound
            let query = sessionStartQueries(sessions: user.sessions, targets: start..<(start + 1))
            queries.inputs += query.inputs
            queries.rows += query.rows
            targets.append(user.sessions[user.part].flatMap(\.plays).compactMap { catalogue.item($0.track) })
        }
        var sum = 0.0, plays = 0
        logProbabilities(queries) { first, rows in
            let width = rows.shape[1]
            rows.withUnsafeBufferPointer { v in
                for r in 0..<rows.shape[0] {
                    for item in targets[first + r] { sum -= Double(v[r &* width &+ item]) }
                    plays += targets[first + r].count
                }
            }
        }
        return ValidationLoss(loss: plays == 0 ? .nan : Float(sum / Double(plays)), sessions: plays)
    }

    /// The mean negative log-probability per play of each user's `part` sessions that falls in the
    /// catalogue, given every play before the part (the validation loss, for any part).
    public func loss(users: [[Session]], split: TimeSplit = TimeSplit(), part: SplitPart) -> ValidationLoss {
        validationLoss(
            users.compactMap { sessions in
                let range = split.range(part, of: sessions)
                return range.isEmpty ? nil : (sessions, range)
            })
    }

    /// Keys of the epoch's mean NLL and KL (before β) in `EpochRecord.metrics`.
    static let likelihoodMetric = "nll"
    static let klMetric = "kl"

    /// The config text a training checkpoint must match to be resumed.
    public var checkpointConfigJSON: String {
        get throws {
            try TrainingJSON.encode(
                VAECFCheckpointConfig(
                    config: config, catalogueSize: catalogue.count, trackCount: catalogue.trackCount, catalogueHash: catalogue.fingerprint))
        }
    }
}

extension VAECFCatalogue {
    /// FNV-1a over the track ids in order.
    var fingerprint: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for track in tracks {
            var value = UInt32(bitPattern: track)
            for _ in 0..<4 {
                hash = (hash ^ UInt64(value & 0xFF)) &* 0x0000_0100_0000_01B3
                value >>= 8
            }
        }
        return hash
    }
}
