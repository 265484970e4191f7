/// One play of a track inside a session.
public struct Play: Sendable, Hashable {
    /// Index into the workspace's track table.
    public var track: Int32
    /// Unix time in seconds when the play started.
    public var time: Int64
    /// Played, skipped or unknown.
    public var skip: SkipState

    public init(track: Int32, time: Int64, skip: SkipState) {
        self.track = track
        self.time = time
        self.skip = skip
    }
}

/// A user's contiguous listening: plays with gaps under the session gap.
public struct Session: Sendable, Hashable {
    /// Index into the workspace's user table.
    public var user: Int32
    /// Unix time of the first play.
    public var start: Int64
    /// Context at the start of the session.
    public var context: SessionContext
    /// Plays in time order.
    public var plays: [Play]

    public init(user: Int32, start: Int64, context: SessionContext, plays: [Play]) {
        self.user = user
        self.start = start
        self.context = context
        self.plays = plays
    }

    /// Number of skipped plays; unknown plays do not count.
    public var skipCount: Int { plays.reduce(0) { $0 + ($1.skip == .skipped ? 1 : 0) } }

    /// Skipped share of the plays whose skip state is known, or nil when none is known.
    public var skipRate: Double? {
        let known = plays.reduce(0) { $0 + ($1.skip == .unknown ? 0 : 1) }
        return known == 0 ? nil : Double(skipCount) / Double(known)
    }
}

/// A track's identity in the source log and its optional display names.
public struct TrackInfo: Sendable, Hashable {
    /// The identifier the source log uses.
    public var key: String
    /// Track title, when the log has one.
    public var name: String?
    /// Artist name, when the log has one.
    public var artist: String?

    public init(key: String, name: String? = nil, artist: String? = nil) {
        self.key = key
        self.name = name
        self.artist = artist
    }
}

/// Everything needed to interpret the ids in a stream of sessions.
public struct Vocabulary: Sendable, Hashable {
    /// Tracks, indexed by `Play.track`.
    public var tracks: [TrackInfo]
    /// User keys, indexed by `Session.user`.
    public var users: [String]
    /// Device names, indexed by `SessionContext.device`.
    public var devices: [String]
    /// Stream source names, indexed by `SessionContext.source`.
    public var sources: [String]

    public init(tracks: [TrackInfo] = [], users: [String] = [], devices: [String] = [], sources: [String] = []) {
        self.tracks = tracks
        self.users = users
        self.devices = devices
        self.sources = sources
    }
}

/// Something that consumes sessions one at a time, such as a workspace writer or a CSV writer.
public protocol SessionSink {
    /// Receives the next session. Sessions of one user arrive in time order.
    mutating func append(_ session: Session) throws
}
