import Foundation
import Listening
import Testing
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
        let model = [sessions.map { outcome(user: $0.user, index: $0.index, rank19: 1, hour: 9) },
                     sessions.map { outcome(user: $0.user, index: $0.index, rank19: 2, hour: 9) }]
        let good = [sessions.enumerated().map { outcome(user: $1.user, index: $1.index, rank19: $0 % 2 == 0 ? 4 : 5, hour: 20) }]
        let weak = [sessions.map { outcome(user: $0.user, index: $0.index, rank19: 10, hour: 20) }]
        let comparison = ModelComparison(runs: [.init(name: "Model", isBaseline: false, outcomesPerSeed: model),
                                                .init(name: "Good", isBaseline: true, outcomesPerSeed: good),
                                                .init(name: "Weak", isBaseline: true, outcomesPerSeed: weak)],
                                         ks: [9, 19], vocabulary: Vocabulary())
        #expect(comparison.bestBaseline == "Good")
        let m = try #require(comparison.models.first)
        // MRR@19: 1 (seed 0) and 0.5 (seed 1).
        #expect(m.metrics["MRR@19"]?.mean == 0.75)
        #expect(abs((m.metrics["MRR@19"]?.standardDeviation ?? 0) - (0.125).squareRoot()) < 1e-12)
        let test = try #require(m.versusBestBaseline)
        #expect(test.pairs == 20)
        // Differences 1 − 1/4 and 1 − 1/5, alternating.
        #expect(abs(test.meanDifference - (0.75 + 0.8) / 2) < 1e-12)
        #expect(test.pValue < 1e-6)
        #expect(comparison.models[1].versusBestBaseline == nil)
        #expect(abs((comparison.relativeGain(of: "Model", over: "Good", metric: "MRR@19") ?? 0) - (0.75 - 0.225) / 0.225) < 1e-9)
        #expect(m.breakdown["daypart"]?["morning"]?["sessions"] == 20)
        let markdown = comparison.markdown()
        #expect(markdown.contains("| **Model** | 0.7500 ± 0.3536 | 0.7500 ± 0.3536 | 1.50 ± 0.71 |"), "MRR@9, MRR@19, mean rank@19")
        #expect(markdown.contains("best baseline (Good)"))
        let json = try JSONSerialization.jsonObject(with: comparison.json()) as? [String: Any]
        #expect(json?["bestBaseline"] as? String == "Good")
    }
}
