import Listening

/// A trained JODIE bound to its track space, usable wherever a `UserModel` or a `NextTrackPredictor` is expected.
///
/// A user's prediction replays their own history from the learned initial user state. Other users'
/// interactions cannot be replayed for one user, so item states start frozen at the end of training
/// and are updated only by this user's own plays. The binding takes a snapshot of the weights:
/// bind after training.
public struct JODIEUserModel: UserModel, NextTrackPredictor {
    /// The trained model.
    public let model: JODIE
    /// The track space of the model's inputs and outputs.
    public let tracks: TrackVectors
    let kernel: JODIEKernel

    /// Binds `model` to `tracks`, whose dimension must be the model's.
    public init(model: JODIE, tracks: TrackVectors) throws {
        guard model.dimension == tracks.dimension else {
            throw JODIEError.trackSpaceMismatch(
                "the model predicts \(model.dimension)-d vectors but the track space is \(tracks.dimension)-d")
        }
        self.model = model
        self.tracks = tracks
        kernel = JODIEKernel(model)
    }

    public var name: String { model.name }
    public var dimension: Int { model.dimension }

    /// None: JODIE reads context only as a feature of past interactions (in the RNN updates), never
    /// the context of the session being predicted, as in the paper.
    public var contextFields: Set<ContextField> { [] }

    func replay() -> JODIEUserReplay {
        JODIEUserReplay(kernel: kernel, tracks: tracks, frozen: model.frozenItems, config: model.config)
    }

    /// The predicted embedding of the first track of a session starting at `time` (the user state projected to it).
    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        var state = replay()
        for session in history {
            for play in session.plays { state.observe(play, context: session.context) }
        }
        return state.predict(at: time)
    }

    /// Session-start predictions for every session, in one pass.
    public func predictAll(sessions: [Session]) -> [[Float]] {
        var state = replay()
        return sessions.map { session in
            let prediction = state.predict(at: session.start)
            for play in session.plays { state.observe(play, context: session.context) }
            return prediction
        }
    }

    /// One prediction per play of `sessions[targets]`, in one pass over the user's plays.
    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        model.replayPredictions(sessions: sessions, targets: targets, kernel: kernel, tracks: tracks)
    }
}
