import UserModels

/// A track and how close it is to a query.
public struct ScoredTrack: Sendable, Hashable {
    public var track: Int32
    public var score: Float

    public init(track: Int32, score: Float) {
        self.track = track
        self.score = score
    }
}

/// Finds the tracks nearest to a predicted vector: exact scan or an ANN index.
public protocol NeighbourSearch {
    /// The `k` most similar tracks, most similar first.
    func nearest(_ query: [Float], k: Int) -> [ScoredTrack]
}

/// A full scan of the track vectors, keeping the top k; exact, fine for catalogues up to ~100k.
public struct ExactSearch: NeighbourSearch {
    public let tracks: TrackVectors

    public init(tracks: TrackVectors) { self.tracks = tracks }

    public func nearest(_ query: [Float], k: Int) -> [ScoredTrack] {
        let q = VectorOps.normalized(query)
        let d = tracks.dimension
        var best: [ScoredTrack] = []
        best.reserveCapacity(k + 1)
        var floor = -Float.infinity
        tracks.values.withUnsafeBufferPointer { all in
            for row in 0..<tracks.count {
                var dot: Float = 0
                let base = row &* d
                for j in 0..<d { dot += all[base &+ j] * q[j] }
                guard best.count < k || dot > floor else { continue }
                // Insertion into a short sorted list beats a heap for k ≈ 20.
                let position = best.firstIndex { $0.score < dot } ?? best.count
                best.insert(ScoredTrack(track: Int32(row), score: dot), at: position)
                if best.count > k { best.removeLast() }
                if best.count == k { floor = best[k - 1].score }
            }
        }
        return best
    }
}
