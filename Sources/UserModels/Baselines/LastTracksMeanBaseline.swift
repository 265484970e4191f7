import Listening

/// The untrained mean of the last w tracks' embeddings ("Last-5 mean" in Table 1).
///
/// It averages the sequence the FS-VAE's fast encoder sees (the last w tracks, w = 5) without any
/// learning: the plain mean of their embeddings, L2-normalised, across session boundaries. With no
/// earlier play the prediction is the zero vector. The paper's learned "Aggregate sequence" baseline
/// is `FSVAEConfig.aggregateSequence()`.
public struct LastTracksMeanBaseline: UserModel, NextTrackPredictor, Sendable {
    /// Name used in tables: "Last-w mean".
    public var name: String { "Last-\(window) mean" }
    /// The track space.
    public let tracks: TrackVectors
    /// Number of most recent tracks averaged.
    public let window: Int
    /// Dimension of the track space.
    public var dimension: Int { tracks.dimension }
    /// None: the window crosses sessions whatever their context.
    public var contextFields: Set<ContextField> { [] }

    /// Averages the last `window` tracks (5 in the paper); throws as `validate()`.
    public init(tracks: TrackVectors, window: Int = 5) throws {
        self.tracks = tracks
        self.window = window
        try validate()
    }

    /// Throws a `ConfigurationError` unless the window holds at least one track.
    public func validate() throws {
        try ConfigurationError.require(window >= 1, "Last-w mean baseline", field: "window", allowed: "≥ 1", value: window)
    }

    /// The mean of the last `window` plays of `history` (the first track of the next session).
    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        var recent: [Play] = []
        for session in history.reversed() {
            for play in session.plays.reversed() where recent.count < window { recent.append(play) }
            if recent.count == window { break }
        }
        return tracks.sessionEmbedding(recent)
    }

    /// The mean of the last `window` plays before each play of `sessions[targets]`.
    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        var recent: [Play] = []
        var out: [[Float]] = []
        for (index, session) in sessions.enumerated() where index < targets.upperBound {
            for play in session.plays {
                if targets.contains(index) { out.append(tracks.sessionEmbedding(recent)) }
                if recent.count == window { recent.removeFirst() }
                recent.append(play)
            }
        }
        return out
    }
}

/// The former name of `LastTracksMeanBaseline`, from before "Aggregate sequence" meant the learned baseline.
@available(*, deprecated, renamed: "LastTracksMeanBaseline")
public typealias AggregateSequenceBaseline = LastTracksMeanBaseline
