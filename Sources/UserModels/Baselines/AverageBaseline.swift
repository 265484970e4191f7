import Listening

/// The mean of every track the user played before (the FS-VAE and CoSeRNN papers' "Average").
public struct AverageBaseline: UserModel, Sendable {
    public let name = "Average"
    public let tracks: TrackVectors
    public var dimension: Int { tracks.dimension }
    public var contextFields: Set<ContextField> { [] }

    public init(tracks: TrackVectors) { self.tracks = tracks }

    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        tracks.sessionEmbedding(history.flatMap(\.plays))
    }
}

/// The embedding of the user's previous session alone.
public struct LastSessionBaseline: UserModel, Sendable {
    public let name = "Last session"
    public let tracks: TrackVectors
    public var dimension: Int { tracks.dimension }
    public var contextFields: Set<ContextField> { [] }

    public init(tracks: TrackVectors) { self.tracks = tracks }

    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        guard let last = history.last else { return [Float](repeating: 0, count: dimension) }
        return tracks.sessionEmbedding(last.plays)
    }
}

/// The most played tracks of the training data, the same for every user and context.
public struct PopularityBaseline: UserModel, Sendable {
    public let name = "Popularity"
    public let dimension: Int
    public var contextFields: Set<ContextField> { [] }
    private let vector: [Float]

    /// The play-count-weighted mean of all track vectors over `sessions`.
    public init(tracks: TrackVectors, sessions: some Sequence<Session>) {
        dimension = tracks.dimension
        vector = tracks.sessionEmbedding(sessions.flatMap(\.plays))
    }

    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] { vector }
}
