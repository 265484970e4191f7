import Listening
import Testing

@testable import UserModels

/// Baselines on a 2-d track space small enough to work out by hand.
@Suite struct BaselineTests {
    // Track 0 points east, 1 north, 2 west (unnormalised on purpose), 3 has no vector.
    let tracks = TrackVectors(dimension: 2, values: [1, 0, 0, 1, -3, 0, 0, 0])

    func session(_ tracks: [Int32], hour: Int8 = 9, device: Int16 = 0, start: Int64 = 0) -> Session {
        Session(
            user: 0, start: start, context: SessionContext(hour: hour, weekday: 0, device: device, source: 0),
            plays: tracks.map { Play(track: $0, time: start, skip: .played) })
    }

    func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 } }

    @Test func trackVectorsAreNormalisedAndZeroRowsStayZero() {
        #expect(tracks.vector(2) == [-1, 0])
        #expect(tracks.vector(3) == [0, 0])
        #expect(close(tracks.sessionEmbedding(session([0, 1]).plays), [0.70710678, 0.70710678]))
        #expect(tracks.sessionEmbedding(session([3]).plays) == [0, 0])
        #expect(VectorOps.cosine([1, 0], [0, 0]) == 0)
    }

    @Test func averageAndLastSession() {
        let history = [session([0, 0, 1]), session([1])]
        // Mean of e, e, n, n = (0.5, 0.5) → (0.7071, 0.7071).
        #expect(
            close(AverageBaseline(tracks: tracks).predict(history: history[...], context: .unknown, time: 0), [0.70710678, 0.70710678]))
        #expect(close(LastSessionBaseline(tracks: tracks).predict(history: history[...], context: .unknown, time: 0), [0, 1]))
        #expect(LastSessionBaseline(tracks: tracks).predict(history: [], context: .unknown, time: 0) == [0, 0])
    }

    @Test func recencyWeightingFavoursTheLastSession() throws {
        let model = try RecencyWeightedBaseline(tracks: tracks, decay: 0.5)
        let history = [session([0]), session([1])]
        // 0.5·east + 1·north = (0.5, 1) → (0.4472, 0.8944).
        #expect(close(model.predict(history: history[...], context: .unknown, time: 0), [0.4472136, 0.8944272]))
        // The one-pass predictAll equals predicting each prefix.
        let sessions = [session([0]), session([1]), session([2]), session([0, 1])]
        let all = model.predictAll(sessions: sessions)
        for t in sessions.indices {
            #expect(close(all[t], model.predict(history: sessions[0..<t], context: .unknown, time: 0)))
        }
    }

    @Test func contextAverageUsesMatchingSessionsFirst() {
        let model = ContextAverageBaseline(tracks: tracks)
        let history = [session([0], hour: 9, device: 0), session([1], hour: 20, device: 0), session([2], hour: 20, device: 1)]
        // Evening on device 1: only the west session matches both.
        #expect(close(model.predict(history: history[...], context: SessionContext(hour: 21, device: 1), time: 0), [-1, 0]))
        // Evening on device 2: no exact match, so evening sessions: north + west.
        #expect(
            close(model.predict(history: history[...], context: SessionContext(hour: 21, device: 2), time: 0), [-0.70710678, 0.70710678]))
        // Night: nothing matches, so all sessions: east + north + west = north.
        #expect(close(model.predict(history: history[...], context: SessionContext(hour: 2, device: 0), time: 0), [0, 1]))
    }

    @Test func popularityIsTheSameForEveryone() {
        let model = PopularityBaseline(tracks: tracks, sessions: [session([1, 1, 1, 0])])
        let a = model.predict(history: [], context: .unknown, time: 0)
        let b = model.predict(history: [session([2])][...], context: SessionContext(hour: 3), time: 99)
        #expect(a == b)
        #expect(close(a, VectorOps.normalized([1, 3])))
    }
}
