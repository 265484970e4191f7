import Listening
import Testing

@testable import TrackSpace

/// The epochs rule for small logs and the held-out next-play hit rate that `setlist embed` prints.
struct TrackSpaceQualityTests {
    @Test func epochsReachAbout400kUpdatesWithinFiveToAHundred() {
        #expect(Word2VecConfig.epochs(forTokens: 0) == 5)
        #expect(Word2VecConfig.epochs(forTokens: 1_000) == 100, "400 wanted, capped")
        #expect(Word2VecConfig.epochs(forTokens: 48_000) == 9, "⌈400,000 / 48,000⌉")
        #expect(Word2VecConfig.epochs(forTokens: 80_000) == 5)
        #expect(Word2VecConfig.epochs(forTokens: 80_001) == 5, "a Last.fm-sized log keeps gensim's 5")
        #expect(Word2VecConfig.epochs(forTokens: 1_000_000) == 5)
    }

    @Test func nextPlayHitRateCountsNeighboursByHand() throws {
        // Tracks 0 and 1 point east, 2 and 3 north; track 4 has no vector.
        let embeddings = try TrackEmbeddings(
            dimension: 2, vectors: [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9, 0, 0],
            trained: [true, true, true, true, false])
        func session(_ tracks: [Int32]) -> Session {
            Session(user: 0, start: 0, context: SessionContext(), plays: tracks.map { Play(track: $0, time: 0, skip: .played) })
        }
        // Pairs: 0→1 (nearest: hit), 1→2 (miss at k = 1), 2→2 (repeat, left out), 2→4 (no vector, left out), 3→2 (hit).
        let sessions = [session([0, 1, 2, 2, 4]), session([3, 2])]
        let at1 = try embeddings.nextPlayHitRate(sessions: sessions, k: 1)
        #expect(at1.pairs == 3)
        #expect(abs(at1.rate - 2.0 / 3) < 1e-12)
        // With k = 3 every other track is a neighbour.
        #expect(try embeddings.nextPlayHitRate(sessions: sessions, k: 3).rate == 1)
    }
}
