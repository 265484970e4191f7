import Foundation
import Randomness
import TrackSpace

/// Seeded vector sets and recall measurement for the index tests.
enum TestVectors {
    /// A SplitMix64 stream, so every test data set is reproducible.
    typealias Random = SplitMix64

    /// Independent standard Gaussian vectors (uniform directions).
    static func random(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var rng = Random(seed: seed)
        return (0..<count * dimension).map { _ in rng.gaussian() }
    }

    /// Vectors around `clusters` random unit centres with Gaussian spread, and each vector's cluster.
    static func clustered(count: Int, dimension: Int, clusters: Int, spread: Float, seed: UInt64) -> (vectors: [Float], labels: [Int]) {
        var rng = Random(seed: seed)
        var centres = (0..<clusters * dimension).map { _ in rng.gaussian() }
        for c in 0..<clusters {
            let norm = (0..<dimension).reduce(Float(0)) { $0 + centres[c * dimension + $1] * centres[c * dimension + $1] }.squareRoot()
            for d in 0..<dimension { centres[c * dimension + d] /= norm }
        }
        var vectors = [Float](repeating: 0, count: count * dimension)
        var labels = [Int](repeating: 0, count: count)
        let scale = spread / Float(dimension).squareRoot()
        for i in 0..<count {
            let c = Int(rng.next() % UInt64(clusters))
            labels[i] = c
            for d in 0..<dimension { vectors[i * dimension + d] = centres[c * dimension + d] + scale * rng.gaussian() }
        }
        return (vectors, labels)
    }

    /// Mean share of the exact top-k ids that the approximate lists contain.
    static func recall(_ approximate: [[Neighbour]], _ exact: [[Neighbour]], k: Int) -> Double {
        var hits = 0
        var total = 0
        for (a, e) in zip(approximate, exact) {
            let truth = Set(e.prefix(k).map(\.id))
            hits += a.prefix(k).filter { truth.contains($0.id) }.count
            total += truth.count
        }
        return total == 0 ? 0 : Double(hits) / Double(total)
    }

    /// `count` rows of a row-major matrix, starting at row `from`.
    static func rows(_ vectors: [Float], dimension: Int, from: Int, count: Int) -> [Float] {
        Array(vectors[from * dimension..<(from + count) * dimension])
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1) with 24 bits.
    mutating func unit() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A Box–Muller normal sample in Float (the test data sets' own, kept so their thresholds hold).
    mutating func gaussian() -> Float {
        let u = max(unit(), 1e-7)
        let v = unit()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
    }
}
