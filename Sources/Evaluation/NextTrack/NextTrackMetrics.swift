import UserModels

/// Next-track metrics of one run: distances to the next track's embedding and its catalogue rank.
///
/// Definitions, for a prediction p and the next track's unit embedding t:
/// - L2 distance: ‖p/‖p‖ − t‖ on the unit-normalised prediction, so no model wins by shrinking
///   its output (it equals √(2·cosine distance) per play; a zero prediction counts as distance 1);
/// - raw L2 distance: ‖p − t‖ on the prediction as the model outputs it (an extra column);
/// - cosine distance: 1 − cos(p, t), which is 1 when p is zero;
/// - rank: 1 + the number of other catalogue tracks whose cosine to p is at least the target's
///   (ties count against the model); reciprocal rank is 1/rank; Recall@k is the share of targets
///   with rank ≤ k.
/// Every value is a mean over the evaluated plays. Plays whose track has no vector (below
/// word2vec's min-count) are not evaluated; `excludedTargets` counts them.
public struct NextTrackMetrics: Sendable, Codable, Equatable {
    /// Number of evaluated plays.
    public var count: Int
    /// Plays left out because their track has no vector.
    public var excludedTargets: Int
    /// Mean L2 distance of the unit-normalised prediction.
    public var l2Distance: Double
    /// Mean L2 distance of the prediction as output.
    public var rawL2Distance: Double
    /// Mean cosine distance.
    public var cosineDistance: Double
    /// Mean rank of the next track in the catalogue, nil when ranking was off.
    public var meanRank: Double?
    /// Mean reciprocal rank, nil when ranking was off.
    public var reciprocalRank: Double?
    /// Share of next tracks ranked in the top 10, nil when ranking was off.
    public var recallAt10: Double?

    /// Creates metrics from precomputed means (tests and merges).
    public init(
        count: Int, l2Distance: Double, cosineDistance: Double, rawL2Distance: Double? = nil, excludedTargets: Int = 0,
        meanRank: Double? = nil, reciprocalRank: Double? = nil, recallAt10: Double? = nil
    ) {
        self.count = count
        self.excludedTargets = excludedTargets
        self.l2Distance = l2Distance
        self.rawL2Distance = rawL2Distance ?? l2Distance
        self.cosineDistance = cosineDistance
        self.meanRank = meanRank
        self.reciprocalRank = reciprocalRank
        self.recallAt10 = recallAt10
    }
}

/// Sums of per-play next-track measures, turned into `NextTrackMetrics` at the end.
public struct NextTrackAccumulator: Sendable {
    var count = 0
    var excluded = 0
    var l2 = 0.0
    var rawL2 = 0.0
    var cosine = 0.0
    var ranked = 0
    var rank = 0.0
    var reciprocal = 0.0
    var top10 = 0

    public init() {}

    /// Counts a play whose track has no vector: it is not scored.
    public mutating func exclude() { excluded += 1 }

    /// Adds one play: its prediction, the true track's unit embedding, and its rank if ranked.
    public mutating func add(prediction: [Float], target: [Float], rank: Int? = nil) {
        count += 1
        let unit = VectorOps.normalized(prediction)
        // A zero prediction has no direction: distance 1, as if orthogonal (cosine distance is 1 too).
        l2 += unit.contains { $0 != 0 } ? NextTrackMetrics.l2Distance(unit, target) : 1
        rawL2 += NextTrackMetrics.l2Distance(prediction, target)
        cosine += 1 - Double(VectorOps.cosine(prediction, target))
        if let rank {
            ranked += 1
            self.rank += Double(rank)
            reciprocal += 1 / Double(rank)
            if rank <= 10 { top10 += 1 }
        }
    }

    /// The means so far (NaN distances when nothing was added).
    public var metrics: NextTrackMetrics {
        let n = Double(count)
        let r = Double(ranked)
        return NextTrackMetrics(
            count: count, l2Distance: count == 0 ? .nan : l2 / n, cosineDistance: count == 0 ? .nan : cosine / n,
            rawL2Distance: count == 0 ? .nan : rawL2 / n, excludedTargets: excluded, meanRank: ranked == 0 ? nil : rank / r,
            reciprocalRank: ranked == 0 ? nil : reciprocal / r,
            recallAt10: ranked == 0 ? nil : Double(top10) / r)
    }
}

extension NextTrackMetrics {
    /// ‖p − t‖ in Double.
    public static func l2Distance(_ p: [Float], _ t: [Float]) -> Double {
        precondition(p.count == t.count, "L2 distance of vectors of different lengths")
        var sum = 0.0
        for i in p.indices {
            let d = Double(p[i]) - Double(t[i])
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// The 1-based rank of `target` among `scores`; ties count against the model.
    public static func rank(of target: Int, scores: UnsafeBufferPointer<Float>) -> Int {
        let s = scores[target]
        var above = 0
        for i in scores.indices where i != target && scores[i] >= s { above += 1 }
        return 1 + above
    }
}
