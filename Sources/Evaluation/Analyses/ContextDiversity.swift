import Listening
import Randomness
import UserModels

/// How diverse the tracks of a context are: cosine similarities of track pairs heard in that context (CoSeRNN paper).
///
/// For each value of a context field, the plays of every session in that value are pooled, across
/// sessions and users, and pairs of pooled plays with distinct tracks are compared by cosine
/// similarity of their track vectors. A track heard more often is in more pairs, as in the log;
/// plays of tracks without a vector (below word2vec's min-count) are left out of the pool.
/// When the pool has at most `pairsPerValue` such pairs they are all enumerated; otherwise
/// `pairsPerValue` pairs are drawn uniformly with replacement (seeded). Lower similarity means more
/// diverse listening. See Docs/analyses.md.
public struct ContextDiversity: Sendable, Codable {
    /// One context value's similarity distribution.
    public struct Row: Sendable, Codable, Equatable {
        public var value: Int
        public var name: String
        /// Sessions in this context value.
        public var sessions: Int
        /// Plays pooled from those sessions (those whose track has a vector).
        public var plays: Int
        /// Pairs of pooled plays with distinct tracks (the population the pairs come from).
        public var distinctTrackPairs: Int
        public var pairsSampled: Int
        public var similarity: BoxplotSummary
    }

    public var dimension: ContextDimension
    public var pairsPerValue: Int
    public var rows: [Row]

    /// Computes the distribution for every known value of `dimension`.
    public init(
        sessions: [Session], tracks: TrackVectors, vocabulary: Vocabulary, dimension: ContextDimension,
        pairsPerValue: Int = 20_000, seed: UInt64 = 1
    ) {
        self.dimension = dimension
        self.pairsPerValue = pairsPerValue
        // A zero row would score 0 against everything, which is no similarity at all.
        let hasVector = (0..<tracks.count).map { track in tracks.withVector(Int32(track)) { $0.contains { $0 != 0 } } }
        var pools: [Int: [Int32]] = [:]
        var sessionCounts: [Int: Int] = [:]
        for session in sessions {
            guard let value = dimension.value(session.context) else { continue }
            sessionCounts[value, default: 0] += 1
            pools[value, default: []].append(
                contentsOf: session.plays.lazy.map(\.track).filter {
                    $0 >= 0 && Int($0) < hasVector.count && hasVector[Int($0)]
                })
        }
        var random = SplitMix64(seed: seed)
        rows = sessionCounts.keys.sorted().map { value in
            let pool = pools[value] ?? []
            let similarities = Self.similarities(pool: pool, tracks: tracks, limit: pairsPerValue, random: &random)
            return Row(
                value: value, name: dimension.name(value, vocabulary: vocabulary), sessions: sessionCounts[value] ?? 0,
                plays: pool.count, distinctTrackPairs: similarities.population, pairsSampled: similarities.values.count,
                similarity: BoxplotSummary(similarities.values))
        }
    }

    /// Similarities of pairs of pooled plays with distinct tracks: all of them, or `limit` drawn.
    static func similarities(pool: [Int32], tracks: TrackVectors, limit: Int, random: inout SplitMix64)
        -> (values: [Double], population: Int)
    {
        let n = pool.count
        var counts: [Int32: Int] = [:]
        for track in pool { counts[track, default: 0] += 1 }
        // Pairs of plays minus pairs of plays of the same track.
        let population = n * (n - 1) / 2 - counts.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        guard population > 0, limit > 0 else { return ([], max(population, 0)) }
        func cosine(_ a: Int32, _ b: Int32) -> Double {
            Double(tracks.withVector(a) { x in tracks.withVector(b) { y in Self.dot(x, y) } })
        }
        var values: [Double] = []
        // Enumerate only when the pool is small in plays too, so a pool of one repeated track stays cheap.
        if population <= limit, n * (n - 1) / 2 <= 4 * limit {
            values.reserveCapacity(population)
            for i in 0..<n {
                for j in (i + 1)..<n where pool[i] != pool[j] { values.append(cosine(pool[i], pool[j])) }
            }
            return (values, population)
        }
        let target = min(limit, population)
        values.reserveCapacity(target)
        // Rejection of same-track pairs; the attempt cap only matters for pools dominated by one track.
        var attempts = 0
        while values.count < target, attempts < 64 * target {
            attempts += 1
            let i = Int.random(in: 0..<n, using: &random)
            var j = Int.random(in: 0..<(n - 1), using: &random)
            if j >= i { j += 1 }
            guard pool[i] != pool[j] else { continue }
            values.append(cosine(pool[i], pool[j]))
        }
        return (values, population)
    }

    @inline(__always)
    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var sum: Float = 0
        for k in 0..<a.count { sum += a[k] * b[k] }
        return sum
    }
}
