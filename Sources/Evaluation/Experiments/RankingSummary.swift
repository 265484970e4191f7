import Listening

/// Session and track ranking metrics averaged over a set of evaluated sessions.
public struct RankingSummary: Sendable, Codable, Equatable {
    /// Sessions averaged.
    public var sessions: Int
    /// Mean reciprocal rank of the true session, by K.
    public var mrr: [Int: Double]
    /// Mean rank of the true session, by K.
    public var meanRank: [Int: Double]
    /// Sessions that had K predecessors, by K.
    public var sessionsWithK: [Int: Int]
    public var pool: TrackMetrics
    public var catalogue: TrackMetrics
    /// Mean cosine between prediction and target.
    public var meanCosine: Double

    /// Mean track-ranking metrics.
    public struct TrackMetrics: Sendable, Codable, Equatable {
        public var map: Double
        public var ndcg10: Double
        public var recall10: Double
        public var recall50: Double
    }

    /// Averages `outcomes`.
    public init(_ outcomes: [SessionOutcome], ks: [Int]) {
        sessions = outcomes.count
        var mrr: [Int: Double] = [:], meanRank: [Int: Double] = [:], counts: [Int: Int] = [:]
        for k in ks {
            let ranks = outcomes.compactMap { $0.sessionRanks[k] }
            counts[k] = ranks.count
            mrr[k] = ranks.isEmpty ? .nan : ranks.reduce(0.0) { $0 + 1 / Double($1) } / Double(ranks.count)
            meanRank[k] = ranks.isEmpty ? .nan : Double(ranks.reduce(0, +)) / Double(ranks.count)
        }
        self.mrr = mrr
        self.meanRank = meanRank
        sessionsWithK = counts
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
        func track(_ scores: [TrackRankingScores]) -> TrackMetrics {
            TrackMetrics(
                map: mean(scores.map(\.averagePrecision)), ndcg10: mean(scores.map(\.ndcg10)),
                recall10: mean(scores.map(\.recall10)), recall50: mean(scores.map(\.recall50)))
        }
        pool = track(outcomes.map(\.pool))
        catalogue = track(outcomes.map(\.catalogue))
        meanCosine = mean(outcomes.map(\.targetCosine))
    }
}

/// The per-session value of a named metric, for paired tests and breakdowns.
public enum SessionMetric: String, Sendable, CaseIterable, Codable {
    case reciprocalRank9 = "MRR@9"
    case reciprocalRank19 = "MRR@19"
    case reciprocalRank49 = "MRR@49"
    case poolMAP = "pool MAP"
    case catalogueMAP = "catalogue MAP"
    case catalogueNDCG10 = "catalogue NDCG@10"
    case cosine = "cosine"

    /// The value for one session, or nil when it was not measured (too few predecessors).
    public func value(_ outcome: SessionOutcome) -> Double? {
        switch self {
        case .reciprocalRank9: outcome.sessionRanks[9].map { 1 / Double($0) }
        case .reciprocalRank19: outcome.sessionRanks[19].map { 1 / Double($0) }
        case .reciprocalRank49: outcome.sessionRanks[49].map { 1 / Double($0) }
        case .poolMAP: outcome.pool.averagePrecision
        case .catalogueMAP: outcome.catalogue.averagePrecision
        case .catalogueNDCG10: outcome.catalogue.ndcg10
        case .cosine: outcome.targetCosine
        }
    }
}
