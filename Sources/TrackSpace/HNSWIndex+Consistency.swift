extension HNSWIndex {
    /// Whether this index was built from `embeddings`: the same tracks, and the same (unit) vectors
    /// for every `stride`-th of them, so a stale index left by another `embed` run is caught even
    /// when its track count matches.
    public func isBuilt(from embeddings: TrackEmbeddings, stride: Int = 7) -> Bool {
        guard dimension == embeddings.dimension, count == embeddings.trainedCount else { return false }
        let ids = storedIDs
        guard ids.sorted() == embeddings.trainedTracks else { return false }
        for node in Swift.stride(from: 0, to: count, by: max(1, stride)) {
            guard var expected = embeddings.vector(of: Int(ids[node])) else { return false }
            expected.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress { VectorMath.normalize(base, dimension) }
            }
            let stored = vector(node)
            for j in 0..<dimension where abs(stored[j] - expected[j]) > 1e-5 { return false }
        }
        return true
    }
}
