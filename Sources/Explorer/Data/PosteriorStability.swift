import UserModels

/// How a top-k list holds up under posterior samples: in how many samples' top-k each track appears.
public struct PosteriorStability: Sendable, Equatable {
    /// Number of samples S.
    public let samples: Int
    /// For each track of the list, how many of the S samples' top-k hold it (0…S).
    public let counts: [Int32: Int]
    /// Mean cosine over pairs of sampled predictions: 1 when they agree, lower as they spread.
    public let meanPairwiseCosine: Double

    /// Ranks the catalogue for each sampled prediction in `vectors` and counts the tracks of `list` in each top `k`.
    public init(samples vectors: [[Float]], list: [Int32], search: NeighbourSearch, k: Int) {
        samples = vectors.count
        var counts = Dictionary(uniqueKeysWithValues: list.map { ($0, 0) })
        for vector in vectors {
            for item in search.nearest(vector, k: k) { counts[item.track]? += 1 }
        }
        self.counts = counts
        var sum = 0.0, pairs = 0
        for i in vectors.indices {
            for j in vectors.indices where j > i {
                sum += Double(VectorOps.cosine(vectors[i], vectors[j]))
                pairs += 1
            }
        }
        meanPairwiseCosine = pairs == 0 ? 1 : sum / Double(pairs)
    }

    /// How many samples' top-k hold `track` (0 for a track outside the list).
    public func count(_ track: Int32) -> Int { counts[track] ?? 0 }
}
