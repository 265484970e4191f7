import Testing
import TrackSpace

@Suite struct ExactIndexTests {
    @Test func ranksByCosineWithHandComputedSimilarities() throws {
        var index = try ExactIndex(dimension: 2)
        // Unit directions at 0°, 90°, 45°, 180°, plus a long vector at 30° (normalised on insertion).
        try index.add(contentsOf: [1, 0, 0, 1, 1, 1, -1, 0, 3 * 0.8660254, 3 * 0.5], ids: [10, 11, 12, 13, 14])
        let result = try index.search([2, 0], k: 3)
        #expect(result.map(\.id) == [10, 14, 12])
        #expect(abs(result[0].similarity - 1) < 1e-6)
        #expect(abs(result[1].similarity - 0.8660254) < 1e-6)
        #expect(abs(result[2].similarity - 0.70710678) < 1e-6)
        #expect(try index.search([-1, 0], k: 1).map(\.id) == [13])
        #expect(try index.search([1, 0], k: 10).count == 5)
    }

    @Test func batchedQueriesMatchSingleQueriesAcrossBlocks() throws {
        let d = 12
        // More rows than one BLAS block and more queries than one query block.
        let count = 9_000
        let data = TestVectors.random(count: count, dimension: d, seed: 3)
        var index = try ExactIndex(dimension: d)
        try index.add(contentsOf: data, ids: (0..<Int32(count)).map { $0 })
        let queries = TestVectors.random(count: 70, dimension: d, seed: 4)
        let batched = try index.search(queries: queries, k: 5)
        #expect(batched.count == 70)
        for q in [0, 33, 64, 69] {
            let single = try index.search(TestVectors.rows(queries, dimension: d, from: q, count: 1), k: 5)
            #expect(single.map(\.id) == batched[q].map(\.id))
            // Brute force by hand for the best one.
            var best = (id: -1, score: -Float.infinity)
            let query = TestVectors.rows(queries, dimension: d, from: q, count: 1)
            let qn = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for r in 0..<count {
                let row = TestVectors.rows(data, dimension: d, from: r, count: 1)
                let score = zip(row, query).reduce(0) { $0 + $1.0 * $1.1 } / (row.reduce(0) { $0 + $1 * $1 }.squareRoot() * qn)
                if score > best.score { best = (r, score) }
            }
            #expect(batched[q].first?.id == Int32(best.id))
            #expect(abs((batched[q].first?.similarity ?? 0) - best.score) < 1e-4)
        }
    }
}
