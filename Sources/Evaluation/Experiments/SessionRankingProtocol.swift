import Listening
import UserModels

/// The CoSeRNN paper's evaluation: rank sessions and tracks against a prediction made at the start of each session.
///
/// For each user, every test session t (the last 10% by `TimeSplit`) is predicted from
/// sessions 0..<t and the session's own context. The target is the session's played-track
/// embedding (all tracks when none is known to be played).
/// - Session ranking: the target session among itself and the K previous sessions, by cosine
///   to the prediction; sessions with fewer than K predecessors are left out for that K.
/// - Track ranking over the pool: the distinct tracks of the current and `poolK` previous
///   sessions; relevant are the tracks played in the session.
/// - Track ranking over the catalogue: every track with a vector.
/// Ties always count against the model.
public struct SessionRankingProtocol: Sendable {
    public var ks: [Int]
    public var poolK: Int
    public var split: TimeSplit
    /// Which split part is scored (test for final numbers, validation for model selection).
    public var part: SplitPart

    public init(ks: [Int] = [9, 19, 49], poolK: Int = 19, split: TimeSplit = TimeSplit(), part: SplitPart = .test) {
        self.ks = ks
        self.poolK = poolK
        self.split = split
        self.part = part
    }

    /// Scores `model` on every user's sessions (grouped by user, in time order).
    public func evaluate(_ model: UserModel, users: [[Session]], tracks: TrackVectors) -> [SessionOutcome] {
        var outcomes: [SessionOutcome] = []
        for sessions in users {
            let scored = split.range(part, of: sessions)
            guard !scored.isEmpty else { continue }
            let predictions = model.predictAll(sessions: sessions)
            let embeddings = sessions.map { Self.target(of: $0, tracks: tracks) }
            // A model with its own catalogue scores (VAE-CF) ranks tracks by them, others by their vector.
            let ownScores = (model as? CatalogueScoring).map { $0.sessionCatalogueScores(sessions: sessions, targets: scored) }
            // A session none of whose tracks has a vector has no target: not scored (see `sessionsWithoutTarget`).
            for t in scored where embeddings[t].contains(where: { $0 != 0 }) {
                let row = ownScores.map { scores in
                    Array(scores[((t - scored.lowerBound) * tracks.count)..<((t - scored.lowerBound + 1) * tracks.count)])
                }
                outcomes.append(
                    score(
                        t: t, sessions: sessions, prediction: predictions[t], embeddings: embeddings, tracks: tracks,
                        trackScores: row))
            }
        }
        return outcomes
    }

    /// Scored sessions left out because none of their tracks has a vector.
    public func sessionsWithoutTarget(users: [[Session]], tracks: TrackVectors) -> Int {
        users.reduce(0) { total, sessions in
            total
                + split.range(part, of: sessions).reduce(0) { count, t in
                    count + (sessions[t].plays.contains { tracks.hasVector($0.track) } ? 0 : 1)
                }
        }
    }

    /// The embedding a prediction is compared with: played tracks, or all when none is known played.
    public static func target(of session: Session, tracks: TrackVectors) -> [Float] {
        let played = tracks.sessionEmbedding(session.plays) { $0.skip != .skipped }
        return played.allSatisfy { $0 == 0 } ? tracks.sessionEmbedding(session.plays) : played
    }

    /// Tracks counted relevant for a session: those not skipped (all, when skips are unknown).
    public static func relevantTracks(of session: Session) -> Set<Int32> {
        let played = Set(session.plays.filter { $0.skip != .skipped }.map(\.track))
        return played.isEmpty ? Set(session.plays.map(\.track)) : played
    }

    /// One session's outcome; `trackScores` (one per track id) ranks the pool and catalogue in place of the prediction's dot products.
    func score(
        t: Int, sessions: [Session], prediction: [Float], embeddings: [[Float]], tracks: TrackVectors,
        trackScores: [Float]? = nil
    ) -> SessionOutcome {
        let session = sessions[t]
        var outcome = SessionOutcome(user: session.user, index: t, context: session.context)
        let targetScore = VectorOps.cosine(prediction, embeddings[t])
        outcome.targetCosine = Double(targetScore)
        for k in ks where t >= k {
            let competitors = (t - k..<t).map { VectorOps.cosine(prediction, embeddings[$0]) }
            outcome.sessionRanks[k] = rankOfTarget(score: targetScore, competitors: competitors)
        }
        let relevant = Self.relevantTracks(of: session)
        // Pool: distinct tracks of the current and previous poolK sessions.
        var pool: [Int32] = []
        var seen = Set<Int32>()
        for s in max(0, t - poolK)...t {
            for play in sessions[s].plays where seen.insert(play.track).inserted { pool.append(play.track) }
        }
        let poolScores = pool.map { track in trackScores.map { $0[Int(track)] } ?? tracks.withVector(track) { v in Self.dot(prediction, v) }
        }
        outcome.pool = TrackRankingScores(
            RelevantPositions(scores: poolScores, relevant: Set(pool.indices.filter { relevant.contains(pool[$0]) })))
        if let trackScores {
            outcome.catalogue = TrackRankingScores(
                trackScores.withUnsafeBufferPointer { RelevantPositions(scores: $0) { relevant.contains(Int32($0)) } })
        } else {
            outcome.catalogue = TrackRankingScores(Self.catalogueRanking(prediction: prediction, relevant: relevant, tracks: tracks))
        }
        return outcome
    }

    /// Ranks every track by its dot product with the prediction (one BLAS product).
    static func catalogueRanking(prediction: [Float], relevant: Set<Int32>, tracks: TrackVectors) -> RelevantPositions {
        let scores = tracks.dotProducts([prediction])
        return scores.withUnsafeBufferPointer { RelevantPositions(scores: $0) { relevant.contains(Int32($0)) } }
    }

    @inline(__always)
    static func dot(_ a: [Float], _ b: UnsafeBufferPointer<Float>) -> Float {
        var sum: Float = 0
        for j in 0..<b.count { sum += a[j] * b[j] }
        return sum
    }
}

/// Track-ranking metrics of one session.
public struct TrackRankingScores: Sendable, Codable, Equatable {
    public var averagePrecision: Double
    public var ndcg10: Double
    public var recall10: Double
    public var recall50: Double

    public init(_ positions: RelevantPositions) {
        averagePrecision = positions.averagePrecision
        ndcg10 = positions.ndcg(at: 10)
        recall10 = positions.recall(at: 10)
        recall50 = positions.recall(at: 50)
    }
}

/// Everything measured for one evaluated session.
public struct SessionOutcome: Sendable, Codable, Equatable {
    public var user: Int32
    public var index: Int
    public var context: SessionContext
    public var targetCosine = 0.0
    /// Rank of the true session among it and K previous ones, by K.
    public var sessionRanks: [Int: Int] = [:]
    public var pool = TrackRankingScores(RelevantPositions(positions: [], candidates: 0))
    public var catalogue = TrackRankingScores(RelevantPositions(positions: [], candidates: 0))

    public init(user: Int32, index: Int, context: SessionContext) {
        self.user = user
        self.index = index
        self.context = context
    }
}
