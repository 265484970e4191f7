import Listening

/// How often a track's nearest neighbours hold the track played next: a held-out check of a track space.
public struct NextPlayHitRate: Sendable, Equatable {
    /// Share of scored pairs whose next track is among the first track's `k` nearest other tracks.
    public var rate: Double
    /// Consecutive (track, next track) pairs scored: distinct tracks, both with a vector.
    public var pairs: Int
    public var k: Int
}

extension TrackEmbeddings {
    /// The next-play hit rate@`k` over consecutive plays within `sessions` (give held-out ones).
    ///
    /// Repeats and tracks without a vector are left out; at most `limit` pairs, taken in order.
    public func nextPlayHitRate(sessions: [Session], k: Int = 10, limit: Int = 20_000) throws -> NextPlayHitRate {
        var pairs: [(Int32, Int32)] = []
        collect: for session in sessions {
            for (a, b) in zip(session.plays, session.plays.dropFirst()) where a.track != b.track {
                guard Int(a.track) < trackCount, Int(b.track) < trackCount, trained[Int(a.track)], trained[Int(b.track)] else { continue }
                pairs.append((a.track, b.track))
                if pairs.count == limit { break collect }
            }
        }
        guard !pairs.isEmpty else { return NextPlayHitRate(rate: 0, pairs: 0, k: k) }
        let index = try exactIndex()
        let queries = pairs.flatMap { vector(of: Int($0.0)) ?? [] }
        let neighbours = try index.search(queries: queries, k: k + 1)
        var hits = 0
        for (pair, found) in zip(pairs, neighbours) {
            let others = found.lazy.filter { $0.id != pair.0 }.prefix(k)
            if others.contains(where: { $0.id == pair.1 }) { hits += 1 }
        }
        return NextPlayHitRate(rate: Double(hits) / Double(pairs.count), pairs: pairs.count, k: k)
    }
}
