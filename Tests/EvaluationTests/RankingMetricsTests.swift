import Testing

@testable import Evaluation

/// Metrics against rankings worked out by hand.
@Suite struct RankingMetricsTests {
    let tolerance = 1e-12

    @Test func positionsAndMetricsWithoutTies() {
        // Ranking: c0 (0.9), c1 (0.8, relevant), c2 (0.7), c3 (0.6, relevant).
        let r = RelevantPositions(scores: [0.9, 0.8, 0.7, 0.6], relevant: [1, 3])
        #expect(r.positions == [2, 4])
        #expect(abs(r.reciprocalRank - 0.5) < tolerance)
        // AP = (1/2 + 2/4) / 2.
        #expect(abs(r.averagePrecision - 0.5) < tolerance)
        #expect(r.recall(at: 1) == 0)
        #expect(r.recall(at: 2) == 0.5)
        #expect(r.recall(at: 10) == 1)
        // NDCG@10 = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3) = (0.63093 + 0.43068) / 1.63093.
        let expected = (1 / log2(3.0) + 1 / log2(5.0)) / (1 + 1 / log2(3.0))
        #expect(abs(r.ndcg(at: 10) - expected) < tolerance)
        #expect(abs(r.ndcg(at: 10) - 0.650921) < 1e-6)
        // NDCG@3 only counts position 2.
        #expect(abs(r.ndcg(at: 3) - (1 / log2(3.0)) / (1 + 1 / log2(3.0))) < tolerance)
    }

    @Test func tiesCountAgainstTheModel() {
        // All equal: the relevant candidate goes after both non-relevant ones.
        let allTied = RelevantPositions(scores: [0.5, 0.5, 0.5], relevant: [0])
        #expect(allTied.positions == [3])
        #expect(abs(allTied.reciprocalRank - 1.0 / 3) < tolerance)
        // Two relevant tied with one non-relevant above and one tied: positions 3 and 4.
        let mixed = RelevantPositions(scores: [0.9, 0.4, 0.4, 0.4, 0.1], relevant: [1, 2])
        #expect(mixed.positions == [3, 4])
        #expect(abs(mixed.averagePrecision - (1.0 / 3 + 2.0 / 4) / 2) < tolerance)
        // A constant predictor can never look good.
        let constant = RelevantPositions(scores: [Float](repeating: 0, count: 100), relevant: [0, 1, 2])
        #expect(constant.positions == [98, 99, 100])
        #expect(constant.recall(at: 50) == 0)
    }

    @Test func perfectAndEmptyRankings() {
        let perfect = RelevantPositions(scores: [0.9, 0.8, 0.1], relevant: [0, 1])
        #expect(perfect.positions == [1, 2])
        #expect(perfect.averagePrecision == 1)
        #expect(abs(perfect.ndcg(at: 10) - 1) < tolerance)
        let none = RelevantPositions(scores: [0.9, 0.8], relevant: [])
        #expect(none.positions.isEmpty && none.averagePrecision == 0 && none.recall(at: 10) == 0)
    }

    @Test func sessionRankOfTarget() {
        #expect(rankOfTarget(score: 0.7, competitors: [0.9, 0.7, 0.1]) == 3, "one higher and one tie are ahead")
        #expect(rankOfTarget(score: 0.95, competitors: [0.9, 0.7, 0.1]) == 1)
        #expect(rankOfTarget(score: 0.0, competitors: [Float]()) == 1)
    }

    @Test func agreesWithSortingOnRandomRankings() {
        var state: UInt64 = 99
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float((state >> 40) % 20) / 20  // coarse, so ties are frequent
        }
        for _ in 0..<200 {
            let scores = (0..<40).map { _ in next() }
            let relevant = Set((0..<40).filter { _ in next() < 0.2 })
            // Reference: sort by (score desc, non-relevant first) and read positions.
            let order = scores.indices.sorted {
                scores[$0] != scores[$1] ? scores[$0] > scores[$1] : (!relevant.contains($0) && relevant.contains($1))
            }
            let reference = order.enumerated().filter { relevant.contains($0.element) }.map { $0.offset + 1 }
            #expect(RelevantPositions(scores: scores, relevant: relevant).positions == reference)
        }
    }
}

@Suite struct StatisticsTests {
    @Test func summaryUsesTheSampleStandardDeviation() {
        let s = SampleSummary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5)
        // Σ(x − 5)² = 32, / 7.
        #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(s.format(digits: 2) == "5.00 ± 2.14")
        #expect(SampleSummary([3]).standardDeviation == 0)
    }

    @Test func pairedTTestMatchesAWorkedExample() {
        // Differences 1, 2, 3, 4, 5: mean 3, sd √2.5, t = 3 / (√2.5/√5) = 4.2426, df 4, p = 0.01324 (two-sided).
        let test = PairedTTest([11, 12, 13, 14, 15], [10, 10, 10, 10, 10])
        #expect(test.degreesOfFreedom == 4)
        #expect(abs(test.t - 4.242640687) < 1e-8)
        #expect(abs(test.pValue - 0.013236) < 1e-5)
        // Large t with many pairs: p essentially 0; no difference: p = 1.
        #expect(PairedTTest([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]).pValue == 1)
        let noisy = PairedTTest([1, 3, 2, 4], [2, 2, 3, 3])
        #expect(noisy.pValue > 0.5)
    }

    @Test func studentTTailsAreRight() {
        // Known quantiles: t = 2.228 at df 10 and t = 1.96 at df ∞ (approximated by 1e6) give p ≈ 0.05.
        #expect(abs(StudentT.twoSidedPValue(t: 2.228139, degreesOfFreedom: 10) - 0.05) < 1e-5)
        #expect(abs(StudentT.twoSidedPValue(t: 1.959964, degreesOfFreedom: 1e6) - 0.05) < 1e-4)
        #expect(abs(StudentT.twoSidedPValue(t: 0, degreesOfFreedom: 5) - 1) < 1e-12)
    }
}

#if canImport(Glibc)
import Glibc
#endif
