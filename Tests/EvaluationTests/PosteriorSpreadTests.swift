import Evaluation
import Listening
import Testing
import UserModels

/// The posterior-spread analysis: Spearman's ρ by hand, and the spread of a stub posterior.
@Suite struct PosteriorSpreadTests {
    @Test func spearmanMatchesHandComputedValues() throws {
        // No ties: ρ = 1 − 6Σd²/(n(n² − 1)) = 1 − 6·2/60.
        #expect(abs((PosteriorSpread.spearman([1, 2, 3, 4], [1, 3, 2, 4]) ?? 0) - 0.8) < 1e-12)
        // Reversed order.
        #expect(PosteriorSpread.spearman([1, 2, 3], [9, 5, 1]) == -1)
        // Ties share their mean rank: x ranks 1.5, 1.5, 3 against y ranks 3, 1, 2 have zero covariance.
        #expect(abs(PosteriorSpread.spearman([1, 1, 2], [3, 1, 2]) ?? 1) < 1e-12)
        #expect(PosteriorSpread.spearman([1, 2], [2, 1]) == nil)
        #expect(PosteriorSpread.spearman([1, 1, 1], [1, 2, 3]) == nil)
    }

    /// A posterior whose samples spread less the more sessions precede the query.
    struct ShrinkingPosterior: PosteriorSampling {
        var name: String { "shrinking" }
        var dimension: Int { 2 }
        var contextFields: Set<ContextField> { [] }
        func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] { [1, 0] }
        func predictSamples(count: Int, seed: UInt64, history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [[Float]] {
            let width = 1 / Float(history.count)
            return (0..<count).map { [1, width * Float($0 % 2 == 0 ? 1 : -1)] }
        }
    }

    @Test func spreadFallsWithHistoryForAPosteriorThatShrinks() throws {
        func user(_ sessions: Int) -> [Session] {
            (0..<sessions).map {
                Session(
                    user: 0, start: Int64($0) * 3_600, context: SessionContext(),
                    plays: [Play(track: 0, time: Int64($0) * 3_600, skip: .played)])
            }
        }
        let result = PosteriorSpread(model: ShrinkingPosterior(), users: [user(1), user(2), user(4), user(8), user(16)], samples: 4)
        #expect(result.users == 4, "a user with one session has no earlier history and is left out")
        #expect(result.spearman == -1)
        // Four samples at (1, ±w), w = 1/history: of the six pairs two are on the same side (cosine 1) and
        // four opposite (cosine (1 − w²)/(1 + w²)).
        let expected = [1.0, 3, 7, 15].map { history -> Double in
            let w2 = 1 / (history * history)
            return 1 - (2 + 4 * (1 - w2) / (1 + w2)) / 6
        }
        #expect(result.spread.count == 4 && abs(result.spread.mean - expected.reduce(0, +) / 4) < 1e-6)
        #expect(result.report(model: "shrinking").contains { $0.contains("Spearman ρ") && $0.contains("-1.000") })
    }
}
