/// One vector per workspace track, indexed by track id, with a mask of the tracks that have a trained vector.
///
/// Tracks rarer than min-count (or absent from the training sessions) keep a
/// zero row and `trained[track] == false`; searches skip them.
public struct TrackEmbeddings: Sendable, Equatable {
    /// Vector length.
    public let dimension: Int
    /// Row-major tracks × dimension.
    public private(set) var vectors: [Float]
    /// Whether each track has a trained vector.
    public private(set) var trained: [Bool]
    /// The training config and statistics (or the import source), as strings.
    public var metadata: [String: String]

    /// Embeddings from row-major vectors and a trained mask; untrained rows are zeroed.
    public init(dimension: Int, vectors: [Float], trained: [Bool], metadata: [String: String] = [:]) throws {
        guard dimension > 0 else { throw TrackSpaceError.invalidArgument("dimension must be positive, got \(dimension)") }
        guard vectors.count == trained.count * dimension else {
            throw TrackSpaceError.dimensionMismatch(expected: trained.count * dimension, found: vectors.count)
        }
        self.dimension = dimension
        self.vectors = vectors
        self.trained = trained
        self.metadata = metadata
        for t in trained.indices where !trained[t] {
            for d in 0..<dimension { self.vectors[t * dimension + d] = 0 }
        }
    }

    /// Number of tracks (trained or not).
    public var trackCount: Int { trained.count }

    /// Number of tracks with a trained vector.
    public var trainedCount: Int { trained.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The vector of a track, or nil when it has none.
    public func vector(of track: Int) -> [Float]? {
        guard track >= 0, track < trackCount, trained[track] else { return nil }
        return Array(vectors[track * dimension..<(track + 1) * dimension])
    }

    /// Ids of the tracks with a trained vector, ascending.
    public var trainedTracks: [Int32] {
        trained.indices.compactMap { trained[$0] ? Int32($0) : nil }
    }

    /// The trained rows, in `trainedTracks` order.
    func trainedRows() -> [Float] {
        var rows: [Float] = []
        rows.reserveCapacity(trainedCount * dimension)
        for t in trained.indices where trained[t] { rows.append(contentsOf: vectors[t * dimension..<(t + 1) * dimension]) }
        return rows
    }
}

extension TrackEmbeddings {
    /// An exact (brute-force BLAS) index over the trained tracks, with track ids as ids.
    public func exactIndex() throws -> ExactIndex {
        var index = try ExactIndex(dimension: dimension)
        try index.add(contentsOf: trainedRows(), ids: trainedTracks)
        return index
    }

    /// An HNSW index over the trained tracks, with track ids as ids.
    public func hnswIndex(parameters: HNSWIndex.Parameters = HNSWIndex.Parameters()) throws -> HNSWIndex {
        let index = try HNSWIndex(dimension: dimension, parameters: parameters)
        try index.add(contentsOf: trainedRows(), ids: trainedTracks)
        return index
    }
}
