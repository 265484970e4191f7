import Foundation
import Listening
import Tensor

/// One optimiser step of recurrent training: chunk `offset / stepsPerChunk` of a group of users.
struct FSVAEChunkJob {
    /// Index of the group in the epoch's plan.
    var group: Int
    /// First step of the chunk in each user's timeline.
    var offset: Int
}

/// An epoch of recurrent training: groups of users and their chunks in order.
struct FSVAEEpochPlan {
    var groups: [[Int]] = []
    var jobs: [FSVAEChunkJob] = []

    /// An empty plan.
    init() {}

    /// Users shuffled by a generator seeded from `seed` and the epoch, cut after `examples` counted
    /// steps when given, then sorted by length within pools of eight groups (less padding) and grouped.
    init(timelines: FSVAETimelines, candidates: [Int], counted: [Int], config: FSVAEConfig, epoch: Int, examples: Int?) {
        var random = SeededRandom(seed: config.seed &+ 0x5EED &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var order = candidates
        order.shuffle(using: &random)
        if let examples {
            var total = 0
            var kept = 0
            for user in order where total < examples {
                total += counted[user]
                kept += 1
            }
            order = Array(order.prefix(kept))
        }
        let perGroup = config.usersPerBatch
        let pool = perGroup * 8
        for start in stride(from: 0, to: order.count, by: pool) {
            let sorted = order[start..<min(start + pool, order.count)].sorted {
                (timelines.users[$0].count, $0) > (timelines.users[$1].count, $1)
            }
            for groupStart in stride(from: 0, to: sorted.count, by: perGroup) {
                groups.append(Array(sorted[groupStart..<min(groupStart + perGroup, sorted.count)]))
            }
        }
        let length = config.stepsPerChunk
        for (index, group) in groups.enumerated() {
            let longest = group.map { timelines.users[$0].count }.max() ?? 0
            for offset in stride(from: 0, to: longest, by: length) { jobs.append(FSVAEChunkJob(group: index, offset: offset)) }
        }
    }
}

extension FSVAE {
    /// Trains the recurrent model with truncated backpropagation through time (see `train(users:…)`).
    ///
    /// Each user's training timeline is cut into chunks of `stepsPerChunk` steps; a batch is one chunk of
    /// `usersPerBatch` users, and the state after it (detached) starts their next chunk. Each epoch
    /// reshuffles the users; with `examplesPerEpoch` it takes users in that order until their counted
    /// steps reach it. Validation runs each validation user's whole timeline through the end of their
    /// validation sessions and scores the cosine distance on the validation plays; with
    /// `validationExamples` a fixed, seeded sample of users whose validation plays reach that number.
    func trainRecurrent(
        users: [[Session]], tracks: TrackVectors, split: TimeSplit, checkpoint: URL?, resume: Bool, scoresAllValidation: Bool,
        maximumSteps: Int? = nil, validates: Bool = true, countedRows: ((Int) -> Void)? = nil,
        progress: ((FSVAEEpochReport) -> Void)?, batchProgress: ((TrainingProgress) -> Void)?
    ) throws -> FSVAETrainingReport {
        let prepared = Date()
        var training = FSVAETimelines(config: config, dimension: dimension)
        var validation = FSVAETimelines(config: config, dimension: dimension)
        var trainingSessions = 0
        for sessions in users {
            let parts = split.ranges(of: sessions)
            var stepSessions: [Int] = []
            // A track without a vector has no embedding to reconstruct: never counted.
            training.appendUser(
                sessions: sessions, end: parts.train.upperBound, targets: parts.train, config: config, tracks: tracks,
                keep: tracks.hasVector,
                sessionOfStep: { stepSessions.append($0) })
            let steps = training.users[training.users.count - 1]
            trainingSessions += Set(zip(steps, stepSessions).filter { training.weights[$0.0] > 0 }.map(\.1)).count
            if parts.validation.isEmpty || !validates {
                validation.users.append(validation.count..<validation.count)
            } else {
                validation.appendUser(
                    sessions: sessions, end: parts.validation.upperBound, targets: parts.validation, config: config, tracks: tracks,
                    keep: tracks.hasVector)
            }
        }
        let counted = training.users.indices.map { training.countedSteps(user: $0) }
        let candidates = counted.indices.filter { counted[$0] > 0 }
        let totalCounted = counted.reduce(0, +)
        guard totalCounted > 0 else { throw FSVAEError.noTrainingExamples }
        slowNormalization = training.examples.slowStatistics()
        let validationCounted = validation.users.indices.map { validation.countedSteps(user: $0) }
        let validationUsers = Self.validationSample(counted: validationCounted, limit: config.validationExamples, seed: config.seed)
        let allValidationUsers = validationCounted.indices.filter { validationCounted[$0] > 0 }
        let started = Date()
        let preparationSeconds = started.timeIntervalSince(prepared)
        let loop = try TrainingLoop(
            model: self, options: trainingOptions, config: try checkpointConfigJSON, checkpointURL: checkpoint, resume: resume)
        loop.maximumSteps = maximumSteps
        let config = self.config
        var plan = FSVAEEpochPlan()
        loop.epochBatches = { epoch, _ in
            plan = FSVAEEpochPlan(
                timelines: training, candidates: candidates, counted: counted, config: config, epoch: epoch,
                examples: config.examplesPerEpoch)
            return plan.jobs.indices.map { [$0] }
        }
        let seed = config.seed
        loop.tapeSeed = { step in seed &* 1_000_003 &+ UInt64(step) }
        let resumedEpochs = loop.state.epoch
        var klSum: Float = 0, reconstructionSum: Float = 0, klBatches = 0
        var activity: PosteriorActivity?
        loop.epochMetrics = {
            defer { (klSum, reconstructionSum, klBatches, activity) = (0, 0, 0, nil) }
            let batches = Float(max(1, klBatches))
            return [Self.klMetric: klSum / batches, Self.reconstructionMetric: reconstructionSum / batches].merging(
                activity?.metrics ?? [:], uniquingKeysWith: { first, _ in first })
        }
        loop.progress = { [unowned loop] report in
            batchProgress?(report)
            if report.phase == .epochEnd, let record = loop.state.history.last, record.epoch == report.epoch {
                progress?(FSVAEEpochReport(record))
            }
        }
        var states: [Int: Tensor] = [:]
        let result = try loop.run(
            userCount: candidates.count,
            trainBatch: { indices, tape in
                let job = plan.jobs[indices[0]]
                let group = plan.groups[job.group]
                let steps = min(config.stepsPerChunk, (group.map { training.users[$0].count }.max() ?? 0) - job.offset)
                let chunk = training.chunk(
                    group: group, offset: job.offset, steps: steps, tracks: tracks, config: config,
                    slowNormalization: self.slowNormalization)
                let incoming =
                    job.offset == 0 ? self.zeroState(users: group.count) : (states[job.group] ?? self.zeroState(users: group.count))
                let step = loop.state.step + 1
                let warmup = config.klWarmupSteps == 0 ? 1 : min(1, Float(step) / Float(config.klWarmupSteps))
                let (loss, outgoing) = self.recurrentLoss(chunk, state: incoming, tape: tape, klWeight: config.beta * warmup)
                states[job.group] = outgoing
                klSum += loss.kl?.value.scalar ?? 0
                reconstructionSum += loss.reconstruction.value.scalar
                klBatches += 1
                let rows = Int(chunk.weights.reduce(0, +))
                countedRows?(rows)
                return BatchLoss(loss: loss.total, sessions: rows)
            },
            validate: {
                states = [:]
                guard !validationUsers.isEmpty else { return ValidationLoss(loss: .nan, sessions: 0) }
                let scored = self.recurrentValidation(validation, users: validationUsers, tracks: tracks)
                activity = scored.activity
                return scored.loss
            })
        // The weights changed: a cached query state belongs to the old ones.
        historyCache.withLock { $0 = nil }
        let reports = result.state.history.map(FSVAEEpochReport.init)
        let bestEpoch = validationUsers.isEmpty ? result.state.epoch : result.bestEpoch
        let sampled = validationUsers.count < allValidationUsers.count
        let allScore =
            scoresAllValidation && sampled ? recurrentValidation(validation, users: allValidationUsers, tracks: tracks).loss.loss : nil
        return FSVAETrainingReport(
            epochs: reports, bestEpoch: bestEpoch, trainingExamples: totalCounted, trainingSessions: trainingSessions,
            resumedEpochs: resumedEpochs, steps: result.state.step, seconds: Date().timeIntervalSince(started),
            validationExamples: validationUsers.reduce(0) { $0 + validationCounted[$1] }, allValidationCosineDistance: allScore,
            preparationSeconds: preparationSeconds)
    }

    /// Users with counted steps, all of them or a seeded sample whose counted steps first reach `limit`, in index order.
    static func validationSample(counted: [Int], limit: Int?, seed: UInt64) -> [Int] {
        let users = counted.indices.filter { counted[$0] > 0 }
        guard let limit, users.reduce(0, { $0 + counted[$1] }) > limit else { return users }
        var random = SeededRandom(seed: seed &+ 0x7A11D)
        var order = users
        order.shuffle(using: &random)
        var total = 0
        var kept: [Int] = []
        for user in order where total < limit {
            total += counted[user]
            kept.append(user)
        }
        return kept.sorted()
    }

    /// Mean cosine distance between the predicted and the true track over the counted steps of `users`,
    /// and what the posterior did at those steps.
    func recurrentValidation(
        _ timelines: FSVAETimelines, users: [Int], tracks: TrackVectors
    ) -> (loss: ValidationLoss, activity: PosteriorActivity?) {
        var sum = 0.0
        var count = 0
        var posterior = PosteriorActivity.Accumulator()
        runTimelines(
            timelines, users: users, tracks: tracks, include: { timelines.weights[$0] > 0 },
            visit: { step, output in
                sum += Double(1 - VectorOps.cosine(output.prediction, tracks.vector(timelines.examples.targets[step])))
                count += 1
                posterior.add(mean: output.latentMean, variance: output.latentVariance)
            })
        return (ValidationLoss(loss: count == 0 ? .nan : Float(sum / Double(count)), sessions: count), posterior.activity)
    }
}
