import Foundation
import Testing

@testable import TrackSpace

@Suite struct VectorCodesTests {
    /// Unit vectors from a seeded Gaussian stream.
    static func unitVectors(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var data = TestVectors.random(count: count, dimension: dimension, seed: seed)
        for row in 0..<count {
            let norm = (0..<dimension).reduce(Float(0)) { $0 + data[row * dimension + $1] * data[row * dimension + $1] }.squareRoot()
            for d in 0..<dimension { data[row * dimension + d] /= norm }
        }
        return data
    }

    @Test(arguments: [16, 40, 80, 7])
    func codeSimilaritiesAreCloseToExactDotProducts(dimension: Int) {
        let layout = VectorCodes(dimension: dimension)
        #expect(layout.length % 16 == 0 && layout.length >= dimension && layout.stride % 32 == 0 && layout.stride >= layout.length + 4)
        let count = 200
        let data = Self.unitVectors(count: count, dimension: dimension, seed: UInt64(dimension))
        let codes = UnsafeMutablePointer<Int8>.allocate(capacity: count * layout.stride)
        defer { codes.deallocate() }
        data.withUnsafeBufferPointer { buffer in
            for row in 0..<count { layout.encode(buffer.baseAddress! + row * dimension, into: codes + row * layout.stride) }
        }
        var worst: Float = 0
        for a in 0..<count {
            for b in stride(from: a, to: count, by: 7) {
                let exact = (0..<dimension).reduce(Float(0)) { $0 + data[a * dimension + $1] * data[b * dimension + $1] }
                let approximate = layout.similarity(codes + a * layout.stride, codes + b * layout.stride)
                worst = max(worst, abs(exact - approximate))
            }
        }
        // The step is max|v|/127 per vector; for unit vectors the error stays near 0.001–0.01.
        #expect(worst < 0.02, "largest error \(worst) at \(dimension) dimensions")
    }

    @Test func zeroAndNonFiniteVectorsEncodeSafely() {
        let layout = VectorCodes(dimension: 4)
        let code = UnsafeMutablePointer<Int8>.allocate(capacity: layout.stride)
        defer { code.deallocate() }
        var zero: [Float] = [0, 0, 0, 0]
        layout.encode(&zero, into: code)
        #expect(layout.similarity(code, code) == 0)
        var odd: [Float] = [.nan, 1, .infinity, -1]
        layout.encode(&odd, into: code)
        // No trap: NaN becomes 0, infinity saturates, and the scale falls back to 1.
        #expect((0..<4).map { code[$0] } == [0, 1, 127, -1])
        #expect(layout.scale(code) == 1)
    }

    @Test func searchReturnsExactSimilarities() throws {
        let dimension = 24
        let count = 1_500
        let data = TestVectors.clustered(count: count, dimension: dimension, clusters: 10, spread: 1, seed: 21).vectors
        let index = try HNSWIndex(dimension: dimension)
        try index.add(contentsOf: data, ids: (0..<Int32(count)).map { $0 })
        var exact = try ExactIndex(dimension: dimension)
        try exact.add(contentsOf: data, ids: (0..<Int32(count)).map { $0 })
        let queries = TestVectors.random(count: 20, dimension: dimension, seed: 22)
        for q in 0..<20 {
            let query = Array(queries[q * dimension..<(q + 1) * dimension])
            let found = try index.search(query, k: 10)
            let truth = Dictionary(uniqueKeysWithValues: try exact.search(query, k: count).map { ($0.id, $0.similarity) })
            #expect(found.count == 10)
            for neighbour in found {
                // Traversal compares codes; the reported similarity is the exact cosine.
                #expect(abs(neighbour.similarity - (truth[neighbour.id] ?? .nan)) < 1e-5)
            }
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        }
    }
}
