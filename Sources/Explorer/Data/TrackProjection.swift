import UserModels

/// The first two principal components of a track space, to draw paths in 2-D.
public struct TrackProjection: Sendable {
    public let mean: [Float]
    public let first: [Float]
    public let second: [Float]

    /// Finds the components by power iteration on the d × d covariance of the track vectors.
    public init(tracks: TrackVectors, iterations: Int = 60) {
        let d = tracks.dimension
        var mean = [Float](repeating: 0, count: d)
        var covariance = [Double](repeating: 0, count: d * d)
        tracks.values.withUnsafeBufferPointer { all in
            for row in 0..<tracks.count { for j in 0..<d { mean[j] += all[row * d + j] } }
            for j in 0..<d { mean[j] /= Float(max(tracks.count, 1)) }
            var centred = [Double](repeating: 0, count: d)
            for row in 0..<tracks.count {
                for j in 0..<d { centred[j] = Double(all[row * d + j] - mean[j]) }
                for a in 0..<d { for b in a..<d { covariance[a * d + b] += centred[a] * centred[b] } }
            }
        }
        for a in 0..<d { for b in 0..<a { covariance[a * d + b] = covariance[b * d + a] } }
        func power(_ matrix: [Double], orthogonalTo other: [Double]?) -> [Double] {
            var v = (0..<d).map { 1 + Double($0 % 7) / 10 }
            for _ in 0..<iterations {
                var next = [Double](repeating: 0, count: d)
                for a in 0..<d { for b in 0..<d { next[a] += matrix[a * d + b] * v[b] } }
                if let other {
                    let overlap = zip(next, other).reduce(0) { $0 + $1.0 * $1.1 }
                    for j in 0..<d { next[j] -= overlap * other[j] }
                }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { break }
                v = next.map { $0 / norm }
            }
            return v
        }
        let pc1 = power(covariance, orthogonalTo: nil)
        let pc2 = power(covariance, orthogonalTo: pc1)
        self.mean = mean
        first = pc1.map(Float.init)
        second = pc2.map(Float.init)
    }

    /// Coordinates of `vector` on the two components.
    public func project(_ vector: [Float]) -> (x: Float, y: Float) {
        var x: Float = 0, y: Float = 0
        for j in vector.indices where j < mean.count {
            let c = vector[j] - mean[j]
            x += c * first[j]
            y += c * second[j]
        }
        return (x, y)
    }

    /// Every track's coordinates on the two components, interleaved (x₀, y₀, x₁, y₁, …); NaN for tracks without a vector.
    public func projectAll(_ tracks: TrackVectors) -> [Float] {
        let d = min(tracks.dimension, mean.count)
        var plane = [Float](repeating: 0, count: tracks.count * 2)
        // A scan over the whole catalogue: unsafe buffers keep it free of bounds checks.
        tracks.values.withUnsafeBufferPointer { all in
            mean.withUnsafeBufferPointer { m in
                first.withUnsafeBufferPointer { f in
                    second.withUnsafeBufferPointer { s in
                        plane.withUnsafeMutableBufferPointer { out in
                            for row in 0..<tracks.count {
                                let base = row &* tracks.dimension
                                var x: Float = 0, y: Float = 0, length: Float = 0
                                for j in 0..<d {
                                    let v = all[base &+ j]
                                    let c = v - m[j]
                                    x += c * f[j]
                                    y += c * s[j]
                                    length += v * v
                                }
                                // Tracks without a vector (zero rows) would pile up on one spot: leave them out.
                                out[2 &* row] = length > 0 ? x : .nan
                                out[2 &* row &+ 1] = length > 0 ? y : .nan
                            }
                        }
                    }
                }
            }
        }
        return plane
    }
}
