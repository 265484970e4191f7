import Foundation

/// Brute-force cosine search: every query against every vector, as blocked BLAS matrix products.
///
/// The ground truth for the HNSW index, and fast enough for catalogues of a few
/// hundred thousand tracks when queries come in batches.
public struct ExactIndex: Sendable {
    /// Length of every vector.
    public let dimension: Int
    /// The unit-length vectors, row-major count × dimension.
    public private(set) var vectors: [Float] = []
    /// The id of each vector.
    public private(set) var ids: [Int32] = []

    /// Queries per matrix product.
    static let queryBlock = 64
    /// Database rows per matrix product, so the score block stays in cache-sized memory.
    static let rowBlock = 8_192

    /// An empty index of vectors of length `dimension`.
    public init(dimension: Int) throws {
        guard dimension > 0 else { throw TrackSpaceError.invalidArgument("dimension must be positive, got \(dimension)") }
        self.dimension = dimension
    }

    /// Number of vectors.
    public var count: Int { ids.count }

    /// Adds one vector (normalised to unit length) with its id.
    public mutating func add(_ vector: [Float], id: Int32) throws {
        try add(contentsOf: vector, ids: [id])
    }

    /// Adds row-major vectors (count × dimension), normalised to unit length, with their ids.
    public mutating func add(contentsOf newVectors: [Float], ids newIDs: [Int32]) throws {
        guard newVectors.count == newIDs.count * dimension else {
            throw TrackSpaceError.dimensionMismatch(
                expected: dimension, found: newIDs.isEmpty ? newVectors.count : newVectors.count / newIDs.count)
        }
        let start = vectors.count
        vectors.append(contentsOf: newVectors)
        ids.append(contentsOf: newIDs)
        let d = dimension
        vectors.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for row in 0..<newIDs.count { VectorMath.normalize(base + start + row * d, d) }
        }
    }

    /// The `k` nearest vectors to one query, best first.
    public func search(_ query: [Float], k: Int) throws -> [Neighbour] {
        try search(queries: query, k: k)[0]
    }

    /// The `k` nearest vectors to each of a batch of row-major queries (count × dimension), best first.
    public func search(queries: [Float], k: Int) throws -> [[Neighbour]] {
        guard count > 0 else { throw TrackSpaceError.emptyIndex }
        guard !queries.isEmpty, queries.count % dimension == 0 else {
            throw TrackSpaceError.dimensionMismatch(expected: dimension, found: queries.count % dimension == 0 ? 0 : queries.count)
        }
        let d = dimension
        let queryCount = queries.count / d
        var unit = queries
        unit.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for q in 0..<queryCount { VectorMath.normalize(base + q * d, d) }
        }
        var results: [[Neighbour]] = []
        results.reserveCapacity(queryCount)
        let rows = count
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: Self.queryBlock * Self.rowBlock)
        defer { scores.deallocate() }
        unit.withUnsafeBufferPointer { queryBuffer in
            vectors.withUnsafeBufferPointer { vectorBuffer in
                ids.withUnsafeBufferPointer { idBuffer in
                    guard let queryBase = queryBuffer.baseAddress, let vectorBase = vectorBuffer.baseAddress,
                        let idBase = idBuffer.baseAddress
                    else { return }
                    var q0 = 0
                    while q0 < queryCount {
                        let qn = min(Self.queryBlock, queryCount - q0)
                        var best = (0..<qn).map { _ in TopK(k: k) }
                        var r0 = 0
                        while r0 < rows {
                            let rn = min(Self.rowBlock, rows - r0)
                            VectorMath.productTransposed(
                                queryBase + q0 * d, rows: qn, vectorBase + r0 * d, rows: rn, width: d, into: scores)
                            for q in 0..<qn {
                                let row = scores + q &* rn
                                var threshold = best[q].threshold
                                for r in 0..<rn where row[r] > threshold {
                                    best[q].offer(row[r], idBase[r0 &+ r])
                                    threshold = best[q].threshold
                                }
                            }
                            r0 += rn
                        }
                        for q in 0..<qn { results.append(best[q].neighbours) }
                        q0 += qn
                    }
                }
            }
        }
        return results
    }
}
