import Testing

@testable import TrackSpace

/// `HNSWIndex.isBuilt(from:)`: a stale index from another embedding run is recognised.
struct HNSWConsistencyTests {
    static func embeddings(seed: UInt64, untrained: Int? = nil) throws -> TrackEmbeddings {
        var state = seed
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000) / 1_000 - 1
        }
        let count = 60, dimension = 8
        let vectors = (0..<(count * dimension)).map { _ in next() }
        var trained = [Bool](repeating: true, count: count)
        if let untrained { trained[untrained] = false }
        return try TrackEmbeddings(dimension: dimension, vectors: vectors, trained: trained)
    }

    @Test func anIndexMatchesItsOwnEmbeddingsOnly() throws {
        let current = try Self.embeddings(seed: 1)
        #expect(try current.hnswIndex().isBuilt(from: current))
        // Another run: the same tracks and count, other vectors.
        #expect(try !Self.embeddings(seed: 2).hnswIndex().isBuilt(from: current))
        // The same count of trained tracks, but not the same tracks.
        let a = try Self.embeddings(seed: 1, untrained: 3), b = try Self.embeddings(seed: 1, untrained: 4)
        #expect(try !a.hnswIndex().isBuilt(from: b))
        #expect(try a.hnswIndex().isBuilt(from: a))
    }
}
