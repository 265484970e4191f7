import Listening
import Testing
import TrackSpace
import UserModels

@testable import Evaluation

/// The skip analysis in a learned word2vec space, as `setlist analyze skips` runs it.
///
/// Before the generator planted skips against the long-term taste and lean-back sessions, this
/// space gave r ≈ +0.08 (Docs/synthetic-data.md, "Why the skip analysis had the wrong sign").
@Suite struct SkipSimilarityLearnedSpaceTests {
    @Test func skipRateFallsWithSimilarityInALearnedTrackSpace() throws {
        let generator = SyntheticGenerator(
            config: SyntheticConfig(
                users: 1_000, sessionsPerUser: 60, playsPerSession: 10,
                tracks: 2_000, clusters: 16, seed: 11))
        var users: [[Session]] = []
        generator.generate(users: 0..<1_000) { session in
            if users.last?.last?.user != session.user { users.append([]) }
            users[users.count - 1].append(session)
        }
        // word2vec sees only the training part of the default split, as `setlist embed` does.
        let corpus = try Word2VecCorpus(sessions: TimeSplit().trainingSessions(of: users), vocabularySize: generator.config.tracks)
        let embeddings = try Word2Vec.train(corpus, config: Word2VecConfig(dimension: 40, epochs: 5, minCount: 5, threads: 1, seed: 3))
            .embeddings
        let tracks = TrackVectors(dimension: embeddings.dimension, values: embeddings.vectors)
        let rows = SkipSimilarity(users: users, tracks: tracks).rows
        let r = rows.map(\.pearson)
        print("skip analysis in a learned 40-d space, r by minimum skip rate: \(r.map { (($0 * 1000).rounded() / 1000) })")
        #expect(r.allSatisfy { $0 < -0.02 }, "r < 0 at every minimum skip rate: \(r)")
        #expect(zip(r, r.dropFirst()).allSatisfy { $1 < $0 + 0.005 }, "r falls as the minimum rises: \(r)")
        #expect(r[r.count - 1] < r[0] - 0.03, "\(r)")
    }
}
