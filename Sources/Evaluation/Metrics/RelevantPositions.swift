/// The 1-based positions that the relevant candidates take in a ranking by descending score.
///
/// Ties count against the model: a relevant candidate is placed after every non-relevant
/// candidate with an equal score. Relevant candidates among themselves need no order, since
/// every metric here depends only on the set of positions they occupy.
public struct RelevantPositions: Sendable, Equatable {
    /// Ascending positions, one per relevant candidate.
    public let positions: [Int]
    /// Number of candidates ranked.
    public let candidates: Int

    /// Positions from precomputed values (for tests and merges).
    public init(positions: [Int], candidates: Int) {
        self.positions = positions.sorted()
        self.candidates = candidates
    }

    /// Ranks `scores` and finds where the candidates flagged in `isRelevant` land.
    ///
    /// O(n · r) for n candidates and r relevant ones, without sorting the n scores: the full
    /// catalogue can be ranked this way for each session.
    public init(scores: UnsafeBufferPointer<Float>, isRelevant: (Int) -> Bool) {
        var relevantScores: [Float] = []
        for i in 0..<scores.count where isRelevant(i) { relevantScores.append(scores[i]) }
        relevantScores.sort(by: >)
        let relevantCount = relevantScores.count
        // For each relevant score, the number of non-relevant candidates scoring at least as high.
        var beaten = [Int](repeating: 0, count: relevantCount)
        if relevantCount > 0, let base = scores.baseAddress {
            for i in 0..<scores.count where !isRelevant(i) {
                let s = base[i]
                // relevantScores is descending: every relevant score <= s is beaten by this candidate.
                var j = relevantCount - 1
                while j >= 0, relevantScores[j] <= s {
                    beaten[j] &+= 1
                    j -= 1
                }
            }
        }
        positions = (0..<relevantCount).map { 1 + $0 + beaten[$0] }
        candidates = scores.count
    }

    /// Convenience over an array of scores and a set of relevant indices.
    public init(scores: [Float], relevant: Set<Int>) {
        self = scores.withUnsafeBufferPointer { RelevantPositions(scores: $0, isRelevant: relevant.contains) }
    }
}

extension RelevantPositions {
    /// Reciprocal rank of the first relevant candidate; 0 when none is relevant.
    public var reciprocalRank: Double { positions.first.map { 1 / Double($0) } ?? 0 }

    /// Average precision: the mean over relevant candidates of precision at their position.
    public var averagePrecision: Double {
        guard !positions.isEmpty else { return 0 }
        var sum = 0.0
        for (i, p) in positions.enumerated() { sum += Double(i + 1) / Double(p) }
        return sum / Double(positions.count)
    }

    /// Share of relevant candidates within the first `k` positions (hits / number relevant).
    public func recall(at k: Int) -> Double {
        guard !positions.isEmpty else { return 0 }
        return Double(positions.filter { $0 <= k }.count) / Double(positions.count)
    }

    /// Normalised discounted cumulative gain at `k` with binary relevance.
    public func ndcg(at k: Int) -> Double {
        guard !positions.isEmpty else { return 0 }
        var dcg = 0.0
        for p in positions where p <= k { dcg += 1 / log2(Double(p) + 1) }
        var ideal = 0.0
        for i in 1...min(positions.count, k) { ideal += 1 / log2(Double(i) + 1) }
        return dcg / ideal
    }
}

/// The rank of one target among competitors by score; ties count against the target.
public func rankOfTarget(score: Float, competitors: some Sequence<Float>) -> Int {
    1 + competitors.reduce(0) { $0 + ($1 >= score ? 1 : 0) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
