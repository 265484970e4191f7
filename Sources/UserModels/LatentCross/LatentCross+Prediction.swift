import Listening
import Tensor

extension LatentCross {
    /// The predicted track vectors of `steps` of `sequence`, from one GRU pass over its steps up to `steps.upperBound`.
    func predict(_ sequence: LatentCrossSequence, steps: Range<Int>, tracks: TrackVectors) -> [[Float]] {
        guard !steps.isEmpty else { return [] }
        let window = LatentCrossWindow(sequence: 0, steps: 0..<steps.upperBound, scored: steps)
        let batch = self.batch([window], sequences: [sequence], tracks: tracks)
        let values = forward(batch, tape: Tape(isTraining: false)).prediction.value
        let d = dimension
        return values.withUnsafeBufferPointer { all in
            steps.map { Array(all[($0 * d)..<(($0 + 1) * d)]) }
        }
    }

    /// The predicted vector of the track played at `time` in `context`, after `history` and the
    /// `current` session's plays so far (played in `context` too).
    public func predictNextTrack(
        history: some Sequence<Session>, current: [Play] = [], context: SessionContext, time: Int64, tracks: TrackVectors
    ) -> [Float] {
        var sequence = LatentCrossSequence(sessions: history)
        if !current.isEmpty {
            sequence.append(Session(user: 0, start: current[0].time, context: context, plays: current))
        }
        sequence.appendStep(time: time, context: context, target: -1)
        return predict(sequence, steps: (sequence.count - 1)..<sequence.count, tracks: tracks)[0]
    }
}

/// A LatentCross bound to the track space it reads, usable wherever a `UserModel` or a
/// `NextTrackPredictor` is expected.
///
/// As a `UserModel` it predicts the first track of a session from the GRU state after the history,
/// crossed with the new session's context (the session-ranking tables' session-start prediction).
public struct LatentCrossUserModel: UserModel, NextTrackPredictor {
    /// The trained model.
    public let model: LatentCross
    /// The track space of the model's inputs and outputs.
    public let tracks: TrackVectors

    /// Binds `model` to `tracks`, whose dimension must be the model's.
    public init(model: LatentCross, tracks: TrackVectors) throws {
        guard model.dimension == tracks.dimension else {
            throw LatentCrossError.dimensionMismatch(expected: model.dimension, found: tracks.dimension)
        }
        self.model = model
        self.tracks = tracks
    }

    /// "LatentCross" (the config's name).
    public var name: String { model.name }
    public var dimension: Int { model.dimension }
    /// The fields the context embeddings read: by default hour, weekday, device and source.
    public var contextFields: Set<ContextField> { model.contextFields }

    /// The predicted vector of the first track of a session starting at `time` in `context`.
    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        model.predictNextTrack(history: history, context: context, time: time, tracks: tracks)
    }

    /// Session-start predictions for every session, from one GRU pass over the user's plays.
    public func predictAll(sessions: [Session]) -> [[Float]] {
        // A session without plays has no step of its own; the rare case takes the slow path.
        guard sessions.allSatisfy({ !$0.plays.isEmpty }) else {
            return sessions.indices.map { predict(history: sessions[0..<$0], context: sessions[$0].context, time: sessions[$0].start) }
        }
        let sequence = LatentCrossSequence(sessions: sessions, firstStepAtSessionStart: true)
        guard sequence.count > 0 else { return [] }
        let all = model.predict(sequence, steps: 0..<sequence.count, tracks: tracks)
        return sequence.sessionStarts.map { all[$0] }
    }

    /// One prediction per play of `sessions[targets]`, from one GRU pass over the user's plays.
    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        let targets = targets.clamped(to: sessions.indices)
        guard !targets.isEmpty else { return [] }
        let sequence = LatentCrossSequence(sessions: sessions[0..<targets.upperBound])
        return model.predict(sequence, steps: sequence.sessionStarts[targets.lowerBound]..<sequence.count, tracks: tracks)
    }
}
