import Listening
import UserModels

/// What the users view lists and sorts by.
public struct UserStats: Sendable, Equatable {
    public var user: Int32
    public var key: String
    public var sessions: Int
    public var plays: Int
    /// Skipped share of plays with a known skip state, or nil.
    public var skipRate: Double?
    /// 1 − length of the mean of the user's unit session embeddings: 0 when every session points
    /// the same way, near 1 when sessions spread over the track space.
    public var diversity: Double

    public init(user: Int32, key: String, sessions: [Session], tracks: TrackVectors) {
        self.user = user
        self.key = key
        self.sessions = sessions.count
        plays = sessions.reduce(0) { $0 + $1.plays.count }
        let known = sessions.reduce(0) { $0 + $1.plays.filter { $0.skip != .unknown }.count }
        let skipped = sessions.reduce(0) { $0 + $1.skipCount }
        skipRate = known == 0 ? nil : Double(skipped) / Double(known)
        var sum = [Float](repeating: 0, count: tracks.dimension)
        var counted = 0
        for session in sessions {
            let e = tracks.sessionEmbedding(session.plays)
            guard e.contains(where: { $0 != 0 }) else { continue }
            for j in sum.indices { sum[j] += e[j] }
            counted += 1
        }
        let length = counted == 0 ? 1 : (sum.reduce(0) { $0 + $1 * $1 }).squareRoot() / Float(counted)
        diversity = Double(1 - length)
    }
}
