/// Whether a track space separates tracks at all: the figures `setlist embed` and `setlist info` show.
public struct TrackSpaceHealth: Sendable, Equatable, Codable {
    /// Mean cosine over every pair of the sampled trained tracks (0 for an isotropic space, near 1
    /// when every track points the same way).
    public var meanPairwiseCosine: Double
    /// Trained tracks the mean was taken over.
    public var sampledTracks: Int

    /// Above this mean pairwise cosine the space is called degenerate (word2vec with too few updates
    /// on a small log gives about 0.98; a usable space is far below 0.5).
    public static let degenerateCosine = 0.5

    /// Whether the tracks are too alike for nearest neighbours or recommendations to mean anything.
    public var isDegenerate: Bool { meanPairwiseCosine > Self.degenerateCosine }
}

extension TrackEmbeddings {
    /// The mean pairwise cosine of up to `sample` trained tracks, taken evenly across the track ids.
    public func health(sample: Int = 1_000) -> TrackSpaceHealth {
        let trained = trainedTracks
        let step = max(1, trained.count / max(1, sample))
        let chosen = Swift.stride(from: 0, to: trained.count, by: step).prefix(sample).compactMap { vector(of: Int(trained[$0])) }
            .map(Self.unit)
        guard chosen.count > 1 else { return TrackSpaceHealth(meanPairwiseCosine: 0, sampledTracks: chosen.count) }
        // Σ_{i≠j} cos = ‖Σ u_i‖² − n for unit vectors u_i: one pass instead of n² dot products.
        var sum = [Double](repeating: 0, count: dimension)
        for u in chosen { for j in 0..<dimension { sum[j] += u[j] } }
        let n = Double(chosen.count)
        let squared = sum.reduce(0) { $0 + $1 * $1 }
        return TrackSpaceHealth(meanPairwiseCosine: (squared - n) / (n * (n - 1)), sampledTracks: chosen.count)
    }

    /// `v` scaled to unit length, in doubles.
    static func unit(_ v: [Float]) -> [Double] {
        let norm = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return v.map { norm > 0 ? Double($0) / norm : 0 }
    }
}
