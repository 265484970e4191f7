import Listening
import Testing
import UserModels

@testable import Evaluation

/// The ranking protocol on hand-made users where the right answers are known.
@Suite struct SessionRankingProtocolTests {
    // Four orthogonal-ish directions in 4-d: track i points along axis i % 4.
    let tracks: TrackVectors = {
        var values = [Float](repeating: 0, count: 8 * 4)
        for i in 0..<8 { values[i * 4 + i % 4] = 1 }
        return TrackVectors(dimension: 4, values: values)
    }()

    /// A user whose session t plays tracks t % 8 and (t + 4) % 8 (both on axis t % 4), plus a skipped track.
    func user(sessions: Int) -> [Session] {
        (0..<sessions).map { (t: Int) -> Session in
            let start = Int64(t) * 86_400
            let context = SessionContext(hour: Int8(t % 24), weekday: 0, device: Int16(t % 2), source: 0)
            let plays = [
                Play(track: Int32(t % 8), time: start, skip: .played),
                Play(track: Int32((t + 4) % 8), time: start + 200, skip: .played),
                Play(track: Int32((t + 1) % 8), time: start + 400, skip: .skipped),
            ]
            return Session(user: 0, start: start, context: context, plays: plays)
        }
    }

    /// Knows the future: predicts the target embedding exactly.
    struct Oracle: UserModel {
        let name = "Oracle"
        let tracks: TrackVectors
        let sessions: [Session]
        var dimension: Int { tracks.dimension }
        var contextFields: Set<ContextField> { [] }
        func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
            SessionRankingProtocol.target(of: sessions[history.count], tracks: tracks)
        }
    }

    /// Predicts nothing at all.
    struct Zero: UserModel {
        let name = "Zero"
        let dimension: Int
        var contextFields: Set<ContextField> { [] }
        func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
            [Float](repeating: 0, count: dimension)
        }
    }

    @Test func anOracleRanksFirstAndAZeroPredictorLast() {
        let sessions = user(sessions: 60)
        let evaluation = SessionRankingProtocol(ks: [9, 19, 49])
        let oracle = evaluation.evaluate(Oracle(tracks: tracks, sessions: sessions), users: [sessions], tracks: tracks)
        #expect(oracle.count == 6, "the last 10% of 60 sessions")
        #expect(oracle.map(\.index) == Array(54..<60))
        // Sessions t, t-4, t-8, ... share the axis, so they tie with the target: ties count against,
        // and with K = 9 the two sessions t-4 and t-8 are ahead: rank 3.
        #expect(oracle.allSatisfy { $0.sessionRanks[9] == 3 })
        #expect(oracle.allSatisfy { $0.sessionRanks[49] == 1 + 12 })
        // Relevant: the two played tracks, which are exactly on the predicted axis; the other track on
        // that axis in the catalogue does not exist (8 tracks, 2 per axis), so both land at 1 and 2.
        #expect(oracle.allSatisfy { $0.catalogue.averagePrecision == 1 && $0.catalogue.recall10 == 1 })
        #expect(oracle.allSatisfy { abs($0.targetCosine - 1) < 1e-6 })

        let zero = evaluation.evaluate(Zero(dimension: 4), users: [sessions], tracks: tracks)
        #expect(zero.allSatisfy { $0.sessionRanks[9] == 10 && $0.sessionRanks[19] == 20 })
        // Two relevant among 8 all-tied tracks: positions 7 and 8.
        #expect(zero.allSatisfy { abs($0.catalogue.averagePrecision - (1.0 / 7 + 2.0 / 8) / 2) < 1e-12 })
        let summary = RankingSummary(zero, ks: [9, 19, 49])
        #expect(abs((summary.mrr[9] ?? 0) - 0.1) < 1e-12)
        #expect(summary.meanRank[19] == 20)
    }

    @Test func shortHistoriesSkipLargeK() {
        let sessions = user(sessions: 30)
        let outcomes = SessionRankingProtocol().evaluate(Zero(dimension: 4), users: [sessions, user(sessions: 2)], tracks: tracks)
        #expect(outcomes.count == 3, "users with fewer than 3 sessions are not scored")
        #expect(outcomes.allSatisfy { $0.sessionRanks[49] == nil && $0.sessionRanks[19] != nil })
        let summary = RankingSummary(outcomes, ks: [9, 19, 49])
        #expect(summary.sessionsWithK[49] == 0 && summary.mrr[49]?.isNaN == true)
    }

    @Test func skippedTracksAreNotRelevant() {
        let session = user(sessions: 1)[0]
        #expect(SessionRankingProtocol.relevantTracks(of: session) == [0, 4])
        var unknown = session
        unknown.plays = unknown.plays.map { Play(track: $0.track, time: $0.time, skip: .unknown) }
        #expect(SessionRankingProtocol.relevantTracks(of: unknown) == [0, 4, 1])
    }
}
