import Listening

/// Unit-length track vectors, one row per workspace track id, in one flat buffer.
///
/// Tracks without a trained vector (below word2vec's min-count) keep a zero row: they add
/// nothing to a session mean and score 0 against every prediction.
public struct TrackVectors: Sendable {
    /// Vector length.
    public let dimension: Int
    /// Number of tracks (rows).
    public let count: Int
    /// Row-major values, `count × dimension`.
    public let values: [Float]
    /// Whether each track has a vector (a non-zero row); tracks without one are never targets.
    public let trained: [Bool]

    /// Wraps row-major `values`, normalising each non-zero row to unit length.
    public init(dimension: Int, values: [Float]) {
        precondition(dimension > 0 && values.count % dimension == 0, "values must hold whole rows")
        self.dimension = dimension
        let rows = values.count / dimension
        count = rows
        var normalised = values
        var trained = [Bool](repeating: false, count: rows)
        normalised.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rows {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(row * dimension)..<((row + 1) * dimension)])
                VectorOps.normalize(slice)
                trained[row] = slice.contains { $0 != 0 }
            }
        }
        self.values = normalised
        self.trained = trained
    }

    /// Calls `body` with the row of `track`.
    @inline(__always)
    public func withVector<T>(_ track: Int32, _ body: (UnsafeBufferPointer<Float>) throws -> T) rethrows -> T {
        try values.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(Int(track) * dimension)..<((Int(track) + 1) * dimension)]))
        }
    }

    /// Whether `track` has a vector.
    @inline(__always)
    public func hasVector(_ track: Int32) -> Bool { trained[Int(track)] }

    /// The row of `track` as an array.
    public func vector(_ track: Int32) -> [Float] { withVector(track) { Array($0) } }

    /// The L2-normalised mean of the vectors of the plays that pass `filter`, or a zero vector.
    public func sessionEmbedding(_ plays: [Play], where filter: (Play) -> Bool = { _ in true }) -> [Float] {
        var sum = [Float](repeating: 0, count: dimension)
        values.withUnsafeBufferPointer { all in
            sum.withUnsafeMutableBufferPointer { out in
                for play in plays where filter(play) {
                    let base = Int(play.track) &* dimension
                    for j in 0..<dimension { out[j] += all[base &+ j] }
                }
                VectorOps.normalize(out)
            }
        }
        return sum
    }
}

/// Small vector helpers shared by the models.
public enum VectorOps {
    /// Scales `v` to unit length in place; a zero vector stays zero.
    @inline(__always)
    public static func normalize(_ v: UnsafeMutableBufferPointer<Float>) {
        var norm: Float = 0
        for x in v { norm += x * x }
        guard norm > 0 else { return }
        let scale = 1 / norm.squareRoot()
        for i in v.indices { v[i] *= scale }
    }

    /// `v` scaled to unit length.
    public static func normalized(_ v: [Float]) -> [Float] {
        var copy = v
        copy.withUnsafeMutableBufferPointer { normalize($0) }
        return copy
    }

    /// Cosine similarity; 0 when either vector is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "cosine of vectors of different lengths")
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        let denominator = (na * nb).squareRoot()
        return denominator > 0 ? dot / denominator : 0
    }
}
