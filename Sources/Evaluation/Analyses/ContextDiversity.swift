import Listening
import UserModels

/// How diverse the tracks of a context are: cosine similarities of track pairs played in the same session.
///
/// For each value of a context field, pairs are drawn at random (seeded) from sessions in that
/// context: a session is picked with probability proportional to its number of pairs, then a
/// pair of its plays with distinct tracks. Lower similarity means more diverse listening. The
/// sample size per value is `pairsPerValue` (all pairs when there are fewer).
public struct ContextDiversity: Sendable, Codable {
    /// One context value's similarity distribution.
    public struct Row: Sendable, Codable, Equatable {
        public var value: Int
        public var name: String
        public var sessions: Int
        public var pairsSampled: Int
        public var similarity: BoxplotSummary
    }

    public var dimension: ContextDimension
    public var pairsPerValue: Int
    public var rows: [Row]

    /// Computes the distribution for every known value of `dimension`.
    public init(sessions: [Session], tracks: TrackVectors, vocabulary: Vocabulary, dimension: ContextDimension,
                pairsPerValue: Int = 20_000, seed: UInt64 = 1) {
        self.dimension = dimension
        self.pairsPerValue = pairsPerValue
        var byValue: [Int: [Int]] = [:]
        for (index, session) in sessions.enumerated() where session.plays.count >= 2 {
            if let value = dimension.value(session.context) { byValue[value, default: []].append(index) }
        }
        var random = AnalysisRandom(seed: seed)
        rows = byValue.keys.sorted().map { value in
            let members = byValue[value] ?? []
            // Cumulative pair counts for picking sessions in proportion to their pairs.
            var cumulative: [Int] = []
            var total = 0
            for index in members {
                let n = sessions[index].plays.count
                total += n * (n - 1) / 2
                cumulative.append(total)
            }
            var similarities: [Double] = []
            similarities.reserveCapacity(min(pairsPerValue, total))
            var attempts = 0
            while similarities.count < min(pairsPerValue, total), attempts < pairsPerValue * 4 {
                attempts += 1
                let draw = Int.random(in: 0..<total, using: &random)
                var lo = 0, hi = cumulative.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] > draw { hi = mid } else { lo = mid + 1 }
                }
                let plays = sessions[members[lo]].plays
                let i = Int.random(in: 0..<plays.count, using: &random)
                var j = Int.random(in: 0..<(plays.count - 1), using: &random)
                if j >= i { j += 1 }
                guard plays[i].track != plays[j].track else { continue }
                similarities.append(Double(tracks.withVector(plays[i].track) { a in
                    tracks.withVector(plays[j].track) { b in Self.dot(a, b) }
                }))
            }
            return Row(value: value, name: dimension.name(value, vocabulary: vocabulary), sessions: members.count,
                       pairsSampled: similarities.count, similarity: BoxplotSummary(similarities))
        }
    }

    @inline(__always)
    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        var sum: Float = 0
        for k in 0..<a.count { sum += a[k] * b[k] }
        return sum
    }
}
