/// The size and seed of a synthetic listening data set.
public struct SyntheticConfig: Sendable, Hashable, Codable {
    /// Number of users.
    public var users: Int
    /// Mean sessions per user; each user gets 0.5×…1.5× of it, at least 3.
    public var sessionsPerUser: Int
    /// Mean plays per session; each session gets 0.5×…1.5× of it, at least 1.
    public var playsPerSession: Int
    /// Catalogue size.
    public var tracks: Int
    /// Number of genre clusters in track space.
    public var clusters: Int
    /// Seed of every random choice; the same config always gives the same data.
    public var seed: UInt64
    /// Unix time of the earliest possible session (default 2024-01-01T00:00:00Z).
    public var startTime: Int64

    /// A config with the given sizes; every parameter has a default.
    public init(
        users: Int = 2_000,
        sessionsPerUser: Int = 60,
        playsPerSession: Int = 10,
        tracks: Int = 5_000,
        clusters: Int = 16,
        seed: UInt64 = 42,
        startTime: Int64 = 1_704_067_200
    ) {
        self.users = users
        self.sessionsPerUser = sessionsPerUser
        self.playsPerSession = playsPerSession
        self.tracks = tracks
        self.clusters = clusters
        self.seed = seed
        self.startTime = startTime
    }

    /// The config with every size clamped to something the generator can produce.
    var sanitized: SyntheticConfig {
        var c = self
        c.users = max(0, users)
        c.sessionsPerUser = max(3, sessionsPerUser)
        c.playsPerSession = max(1, playsPerSession)
        c.clusters = max(1, clusters)
        c.tracks = max(c.clusters, tracks)
        return c
    }
}
