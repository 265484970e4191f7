import Foundation
import Listening
import Testing
import UserModels

@testable import Evaluation

@Suite struct ModelComparisonTests {
    func outcome(user: Int32, index: Int, rank19: Int, hour: Int8) -> SessionOutcome {
        var o = SessionOutcome(user: user, index: index, context: SessionContext(hour: hour))
        o.sessionRanks = [9: min(rank19, 10), 19: rank19]
        o.catalogue = TrackRankingScores(RelevantPositions(positions: [rank19], candidates: 100))
        o.pool = o.catalogue
        return o
    }

    @Test func aggregatesSeedsPicksTheBestBaselineAndPairsSessions() throws {
        let sessions = (0..<20).map { (user: Int32($0 / 4), index: $0 % 4) }
        // Model: rank 1 everywhere (seed 0) and rank 2 (seed 1); baselines: ranks 4 and 5; 10 for the weak one.
        let model = [
            sessions.map { outcome(user: $0.user, index: $0.index, rank19: 1, hour: 9) },
            sessions.map { outcome(user: $0.user, index: $0.index, rank19: 2, hour: 9) },
        ]
        let good = [sessions.enumerated().map { outcome(user: $1.user, index: $1.index, rank19: $0 % 2 == 0 ? 4 : 5, hour: 20) }]
        let weak = [sessions.map { outcome(user: $0.user, index: $0.index, rank19: 10, hour: 20) }]
        let comparison = ModelComparison(
            runs: [
                .init(name: "Model", isBaseline: false, outcomesPerSeed: model),
                .init(name: "Good", isBaseline: true, outcomesPerSeed: good),
                .init(name: "Weak", isBaseline: true, outcomesPerSeed: weak),
            ],
            ks: [9, 19], vocabulary: Vocabulary())
        #expect(comparison.bestBaseline == "Good")
        let m = try #require(comparison.models.first)
        // MRR@19: 1 (seed 0) and 0.5 (seed 1).
        #expect(m.metrics["MRR@19"]?.mean == 0.75)
        #expect(abs((m.metrics["MRR@19"]?.standardDeviation ?? 0) - (0.125).squareRoot()) < 1e-12)
        let c = try #require(m.versusBestBaseline["MRR@19"])
        #expect(c.baseline == "Good")
        let test = c.perSession
        #expect(test.pairs == 20)
        // Per session, the model's seeds average to (1 + 1/2)/2 = 0.75; the differences are 0.75 − 1/4 and 0.75 − 1/5, alternating.
        #expect(abs(test.meanDifference - ((0.75 - 0.25) + (0.75 - 0.2)) / 2) < 1e-12)
        #expect(test.pValue < 1e-6)
        // Per seed: 1 − 0.225 and 0.5 − 0.225 against the one baseline run.
        #expect(abs(c.perSeed.mean - (0.775 + 0.275) / 2) < 1e-12)
        // Two seeds 0.5 apart: SE of the seed differences is 0.25, so 0.525 > 2 · 0.25 is a win.
        #expect(c.beats)
        // Mean rank is compared with lower as better: 1.5 against 4.5 is a win too.
        #expect(m.versusBestBaseline["rank@19"]?.beats == true)
        #expect(comparison.models[1].versusBestBaseline.isEmpty)
        #expect(abs((comparison.relativeGain(of: "Model", over: "Good", metric: "MRR@19") ?? 0) - (0.75 - 0.225) / 0.225) < 1e-9)
        #expect(m.breakdown["daypart"]?["morning"]?["sessions"] == 20)
        let markdown = comparison.markdown()
        #expect(markdown.contains("| **Model** | 0.7500 ± 0.3536 ▲ | 0.7500 ± 0.3536 ▲ | 1.50 ± 0.71 ▲ |"), "MRR@9, MRR@19, mean rank@19")
        #expect(markdown.contains("| Model | MRR@19 | Good |"))
        let json = try JSONSerialization.jsonObject(with: comparison.json()) as? [String: Any]
        #expect(json?["bestBaseline"] as? String == "Good")
    }
}

extension ModelComparisonTests {
    @Test func aWinWithinTheSeedSpreadIsNotAWin() throws {
        let sessions = (0..<40).map { (user: Int32($0 / 4), index: $0 % 4) }
        // Model seeds at ranks 1, 5 and 10 (MRR 1, 0.2, 0.1): mean 0.433, but spread far wider than the gap to
        // a baseline at rank 3 (MRR 0.333).
        let model = [1, 5, 10].map { r in sessions.map { outcome(user: $0.user, index: $0.index, rank19: r, hour: 9) } }
        let baseline = [sessions.map { outcome(user: $0.user, index: $0.index, rank19: 3, hour: 9) }]
        let comparison = ModelComparison(
            runs: [
                .init(name: "Model", isBaseline: false, outcomesPerSeed: model),
                .init(name: "Baseline", isBaseline: true, outcomesPerSeed: baseline),
            ],
            ks: [9, 19], vocabulary: Vocabulary())
        let c = try #require(comparison.models[0].versusBestBaseline["MRR@19"])
        #expect(c.perSeed.mean > 0, "ahead on average")
        #expect(!c.beats, "but by less than twice the standard error over seeds")
    }

    @Test func theHeaderStatesSplitSeedsBudgetAndLeaks() throws {
        let user = (0..<10).map { Session(user: 0, start: Int64($0) * 86_400, context: .unknown, plays: []) }
        let leak = LeakCheck(trackSpaceSplit: nil, evaluationSplit: TimeSplit(), users: [user])
        #expect(!leak.isClean && leak.testSeen == 1 && leak.validationSeen == 1)
        let setup = EvaluationSetup(split: TimeSplit(), seeds: [1, 2, 3], budget: "30 epochs", leak: leak, leakAllowed: true)
        let comparison = ModelComparison(runs: [], ks: [9], vocabulary: Vocabulary(), setup: setup)
        let markdown = comparison.markdown()
        #expect(markdown.contains("per-user time split"))
        #expect(markdown.contains("Seeds: 1, 2, 3 (3)"))
        #expect(markdown.contains("Budget: 30 epochs"))
        #expect(markdown.contains("LEAK (--allow-leak)"))
        let clean = LeakCheck(trackSpaceSplit: TimeSplit(), evaluationSplit: TimeSplit(), users: [user])
        #expect(clean.isClean)
        #expect(
            !ModelComparison(
                runs: [], ks: [9], vocabulary: Vocabulary(),
                setup: EvaluationSetup(split: TimeSplit(), seeds: [1], budget: "", leak: clean)
            ).markdown().contains("LEAK"))
    }
}

/// Popularity, the one parameter-free baseline fitted across users, counts training plays only.
@Suite struct LeakFreeBaselineTests {
    @Test func tracksHeardOnlyInTestSessionsHaveZeroPopularity() {
        // One-hot track vectors: the popularity vector's coordinate t is track t's share of training plays.
        let trackCount = 40
        var values = [Float](repeating: 0, count: trackCount * trackCount)
        for t in 0..<trackCount { values[t * trackCount + t] = 1 }
        let tracks = TrackVectors(dimension: trackCount, values: values)
        // Ten users of ten daily sessions; training sessions play tracks 0–19, the held-out ones (2 per user)
        // play tracks 20–39 and nothing else does.
        let users: [[Session]] = (0..<10).map { u in
            (0..<10).map { s in
                let heldOut = s >= 8
                let track = Int32(heldOut ? 20 + (u * 2 + s - 8) : (u * 3 + s) % 20)
                return Session(
                    user: Int32(u), start: Int64(s) * 86_400, context: .unknown,
                    plays: [Play(track: track, time: Int64(s) * 86_400, skip: .played)])
            }
        }
        for split in [TimeSplit(), try? TimeSplit.global(validationStart: 8 * 86_400, testStart: 9 * 86_400)].compactMap({ $0 }) {
            let popularity = PopularityBaseline(tracks: tracks, sessions: split.trainingSessions(of: users))
            let vector = popularity.predict(history: [], context: .unknown, time: 0)
            #expect(vector[20..<40].allSatisfy { $0 == 0 }, "held-out tracks have zero popularity under \(split)")
            #expect(vector[0..<20].allSatisfy { $0 > 0 }, "every training track counts")
        }
    }
}
