import Foundation
import Listening
import Tensor

/// Dynamic states during one training epoch, carried (detached) from span to span and reset at the
/// start of every epoch, as the official code resets its embeddings.
final class JODIEEpochState {
    let h: Int
    let d: Int
    var users: [Float]
    var userSeen: [Bool]
    /// Sum of the vectors of each user's plays so far this epoch (the static user embedding is its unit form).
    var userSum: [Float]
    var items: JODIEItemStates

    init(userCount: Int, itemCount: Int, h: Int, d: Int) {
        self.h = h
        self.d = d
        users = [Float](repeating: 0, count: userCount * h)
        userSeen = [Bool](repeating: false, count: userCount)
        userSum = [Float](repeating: 0, count: userCount * d)
        items = JODIEItemStates(count: itemCount, size: h)
    }

    /// An independent copy (for gradient checks that rerun a span from the same carried states).
    func copy() -> JODIEEpochState {
        let copy = JODIEEpochState(userCount: 0, itemCount: 0, h: h, d: d)
        (copy.users, copy.userSeen, copy.userSum, copy.items) = (users, userSeen, userSum, items)
        return copy
    }
}

/// What a training checkpoint of a JODIE must match to be resumed.
struct JODIECheckpointConfig: Codable {
    var dimension: Int
    var config: JODIEConfig
}

extension JODIE {
    /// Trains on every user's training plays with t-batches; validation sessions drive early stopping.
    ///
    /// `users` holds each user's sessions in time order; `split` decides which are training,
    /// validation (early stopping on the mean cosine distance of each validation play's prediction
    /// to its track, as FS-VAE) and test (never read). Training interactions of all users are merged
    /// in time order and cut into spans of `config.spanInteractions`; each span is one batch of the
    /// shared `TrainingLoop` (one Adam step, gradients through the whole span, states detached between
    /// spans), processed as the paper's t-batches. `options.batchSize` is therefore not used; epochs,
    /// learning rate, clipping, patience and the checkpoint/resume machinery are the loop's.
    /// Ends with the best epoch's weights and the item states replayed with them.
    @discardableResult
    public func train(
        users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(), options: TrainingOptions = TrainingOptions(),
        checkpoint: URL? = nil, resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        guard tracks.dimension == dimension else {
            throw JODIEError.trackSpaceMismatch("the model predicts \(dimension)-d vectors but the track space is \(tracks.dimension)-d")
        }
        try split.validate()
        let data = JODIEInteractions(users: users, split: split)
        guard data.count > 0 else { throw JODIEError.noTrainingData }
        let spans = data.spans(length: config.spanInteractions)
        let loop = try TrainingLoop(
            model: self, options: options, config: try checkpointConfigJSON,
            checkpointURL: checkpoint, resume: resume, progress: progress)
        var state = JODIEEpochState(userCount: data.userCount, itemCount: tracks.count, h: config.dynamicSize, d: dimension)
        // Spans in time order; called once at the start of each epoch, which is when the states reset.
        loop.epochBatches = { _, count in
            state = JODIEEpochState(userCount: data.userCount, itemCount: tracks.count, h: self.config.dynamicSize, d: self.dimension)
            return (0..<count).map { [$0] }
        }
        let result = try loop.run(
            userCount: spans.count,
            trainBatch: { indices, tape in
                let span = spans[indices[0]]
                return BatchLoss(loss: self.spanLoss(span, data: data, tracks: tracks, state: state, tape: tape), sessions: span.count)
            },
            validate: {
                self.frozenItems = self.replayItems(data, tracks: tracks)
                return self.loss(users: users, tracks: tracks, split: split, part: .validation)
            })
        frozenItems = replayItems(data, tracks: tracks)
        return result
    }

    /// The config text a training checkpoint must match to be resumed: the model config and the dimension.
    public var checkpointConfigJSON: String {
        get throws { try TrainingJSON.encode(JODIECheckpointConfig(dimension: dimension, config: config)) }
    }

    /// The mean cosine distance of each play of `part` sessions with a track vector to its prediction
    /// (every earlier play replayed, items from `frozenItems`).
    public func loss(users: [[Session]], tracks: TrackVectors, split: TimeSplit = TimeSplit(), part: SplitPart) -> ValidationLoss {
        let kernel = JODIEKernel(self)
        var total = 0.0, count = 0
        for sessions in users {
            let targets = split.range(part, of: sessions)
            guard !targets.isEmpty else { continue }
            let predictions = replayPredictions(sessions: sessions, targets: targets, kernel: kernel, tracks: tracks)
            for (prediction, play) in zip(predictions, sessions[targets].flatMap(\.plays)) where tracks.hasVector(play.track) {
                total += Double(1 - VectorOps.cosine(prediction, tracks.vector(play.track)))
                count += 1
            }
        }
        return ValidationLoss(loss: count == 0 ? .nan : Float(total / Double(count)), sessions: count)
    }

    /// One prediction per play of `sessions[targets]` (before the play is observed), in one pass.
    func replayPredictions(sessions: [Session], targets: Range<Int>, kernel: JODIEKernel, tracks: TrackVectors) -> [[Float]] {
        var replay = JODIEUserReplay(kernel: kernel, tracks: tracks, frozen: frozenItems, config: config)
        var out: [[Float]] = []
        for index in sessions.indices where index < targets.upperBound {
            let session = sessions[index]
            for play in session.plays {
                if targets.contains(index) { out.append(replay.predict(at: play.time)) }
                replay.observe(play, context: session.context)
            }
        }
        return out
    }

    /// Every item's state after replaying all training interactions in time order with the current weights.
    func replayItems(_ data: JODIEInteractions, tracks: TrackVectors) -> JODIEItemStates {
        let kernel = JODIEKernel(self)
        let h = config.dynamicSize
        var items = JODIEItemStates(count: tracks.count, size: h)
        var users = [[Float]](repeating: kernel.initialUser, count: data.userCount)
        let zero = [Float](repeating: 0, count: dimension)
        for k in 0..<data.count {
            let user = Int(data.user[k]), track = data.track[k]
            let base = Int(track) * h
            let item = items.has(track) ? Array(items.states[base..<(base + h)]) : kernel.initialItem
            let features = JODIEFeatures.vector(skip: data.skip[k], context: data.context[k], config: config)
            let itemStatic = Int(track) < tracks.count ? tracks.vector(track) : zero
            let newUser = kernel.userStep(user: users[user], item: item, itemStatic: itemStatic, features: features, gap: data.userGap[k])
            let newItem = kernel.itemStep(item: item, user: users[user], features: features, gap: data.itemGap[k])
            users[user] = newUser
            guard Int(track) < items.count else { continue }
            items.states.replaceSubrange(base..<(base + h), with: newItem)
            items.seen[Int(track)] = true
            items.lastTime[Int(track)] = data.time[k]
        }
        return items
    }
}
