import Foundation
import Testing
import TrackSpace

/// How many vectors the recall tests index.
///
/// The acceptance size is 100k. An unoptimised (debug) build inserts about 1k vectors/s,
/// so there the tests use 10k unless SETLIST_ANN_TEST_COUNT says otherwise; optimised
/// builds always use 100k (`swift test -c release -Xswiftc -enable-testing --filter HNSWRecallTests`).
enum RecallScale {
    static var count: Int {
        if let text = ProcessInfo.processInfo.environment["SETLIST_ANN_TEST_COUNT"], let n = Int(text), n > 0 { return n }
        #if DEBUG
        return 10_000
        #else
        return 100_000
        #endif
    }
    /// Clustered vectors use CoSeRNN's 40 dimensions. Uniform random vectors use 16: in 40-d
    /// every distance concentrates near the mean, a worst case unlike any embedding, where
    /// recall@10 of 0.95 needs efSearch ≈ 200 (Docs/track-space.md has the figures).
    static let clusteredDimension = 40
    static let randomDimension = 16
    static let queries = 200
}

@Suite struct HNSWRecallTests {
    /// Builds an index at the default parameters and returns recall@10 against exact search for held-out queries.
    static func recall(data: [Float], queries: [Float], dimension: Int) throws -> Double {
        let count = data.count / dimension
        let ids = (0..<Int32(count)).map { $0 }
        let index = try HNSWIndex(dimension: dimension)
        try index.add(contentsOf: data, ids: ids)
        var exact = try ExactIndex(dimension: dimension)
        try exact.add(contentsOf: data, ids: ids)
        let truth = try exact.search(queries: queries, k: 10)
        let found = try index.search(queries: queries, k: 10)
        #expect(found.allSatisfy { $0.count == 10 })
        return TestVectors.recall(found, truth, k: 10)
    }

    @Test func randomVectors() throws {
        let n = RecallScale.count
        let d = RecallScale.randomDimension
        let all = TestVectors.random(count: n + RecallScale.queries, dimension: d, seed: 1)
        let recall = try Self.recall(
            data: TestVectors.rows(all, dimension: d, from: 0, count: n),
            queries: TestVectors.rows(all, dimension: d, from: n, count: RecallScale.queries), dimension: d)
        #expect(recall >= 0.95, "recall@10 \(recall) on \(n) random \(d)-d vectors")
        print("HNSW recall@10 on \(n) random \(d)-d vectors at default efSearch: \(recall)")
    }

    @Test func clusteredVectors() throws {
        let n = RecallScale.count
        let d = RecallScale.clusteredDimension
        let all = TestVectors.clustered(count: n + RecallScale.queries, dimension: d, clusters: 100, spread: 1, seed: 2).vectors
        let recall = try Self.recall(
            data: TestVectors.rows(all, dimension: d, from: 0, count: n),
            queries: TestVectors.rows(all, dimension: d, from: n, count: RecallScale.queries), dimension: d)
        #expect(recall >= 0.95, "recall@10 \(recall) on \(n) clustered \(d)-d vectors")
        print("HNSW recall@10 on \(n) clustered \(d)-d vectors at default efSearch: \(recall)")
    }
}
