import Testing

@testable import TrackSpace

/// `TrackEmbeddings.health`: the mean pairwise cosine that tells a degenerate space from a usable one.
struct TrackSpaceHealthTests {
    @Test func matchesTheMeanOverEveryPairByHand() throws {
        // Three 2-d tracks at 0°, 90° and 45°: pair cosines 0, √½, √½.
        let h = Float(0.5).squareRoot()
        let embeddings = try TrackEmbeddings(dimension: 2, vectors: [1, 0, 0, 3, h, h], trained: [true, true, true])
        let health = embeddings.health()
        #expect(health.sampledTracks == 3)
        #expect(abs(health.meanPairwiseCosine - 2 * Double(h) / 3) < 1e-6)
        #expect(!health.isDegenerate)
    }

    @Test func tracksPointingOneWayAreDegenerateAndUntrainedOnesAreLeftOut() throws {
        var vectors: [Float] = []
        for i in 0..<50 { vectors += [1, Float(i % 5) * 0.02, 0] }
        vectors += [0, 0, 1]  // untrained: not sampled
        let embeddings = try TrackEmbeddings(dimension: 3, vectors: vectors, trained: [Bool](repeating: true, count: 50) + [false])
        let health = embeddings.health(sample: 20)
        #expect(health.sampledTracks == 20)
        #expect(health.meanPairwiseCosine > 0.99 && health.isDegenerate)
    }
}
