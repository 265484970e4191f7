import Foundation
import TestSupport
import Testing

@testable import TrackSpace

@Suite struct HNSWIndexTests {
    static let dimension = 16

    static func smallIndex(count: Int = 2_000, seed: UInt64 = 4) throws -> (HNSWIndex, [Float]) {
        let data = TestVectors.clustered(count: count, dimension: dimension, clusters: 20, spread: 1, seed: seed).vectors
        let index = try HNSWIndex(dimension: dimension, parameters: .init(m: 8, efConstruction: 64, efSearch: 32))
        try index.add(contentsOf: data, ids: (0..<Int32(count)).map { $0 + 1_000 })
        return (index, data)
    }

    static func temporaryPath(_ name: String) -> String {
        TestScratch.root + "/setlist-hnsw-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    @Test func findsStoredVectorsAndReportsTheirIDs() throws {
        let (index, data) = try Self.smallIndex()
        var hits = 0
        for row in stride(from: 0, to: 2_000, by: 20) {
            let query = Array(data[row * Self.dimension..<(row + 1) * Self.dimension])
            let top = try index.search(query, k: 1)
            if top.first?.id == Int32(row + 1_000) { hits += 1 }
            #expect(abs((top.first?.similarity ?? 0) - 1) < 1e-3 || top.first?.id != Int32(row + 1_000))
        }
        #expect(hits >= 98)
        #expect(index.count == 2_000)
    }

    @Test func saveThenLoadGivesIdenticalResults() throws {
        let (index, _) = try Self.smallIndex()
        let path = Self.temporaryPath("roundtrip.hnsw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.write(to: path)
        let loaded = try HNSWIndex(contentsOf: path)
        #expect(loaded.count == index.count && loaded.dimension == index.dimension && loaded.m == index.m)
        #expect(loaded.efSearch == index.efSearch && loaded.storedIDs == index.storedIDs)
        let queries = TestVectors.random(count: 100, dimension: Self.dimension, seed: 77)
        #expect(try loaded.search(queries: queries, k: 10) == index.search(queries: queries, k: 10))
        #expect(loaded.encoded() == index.encoded())
        // Both continue identically after incremental adds (the layer generator state is saved too).
        let extra = TestVectors.random(count: 50, dimension: Self.dimension, seed: 78)
        let extraIDs = (0..<Int32(50)).map { $0 + 10_000 }
        try index.add(contentsOf: extra, ids: extraIDs)
        try loaded.add(contentsOf: extra, ids: extraIDs)
        #expect(loaded.encoded() == index.encoded())
    }

    @Test func incrementalAddsAreSearchable() throws {
        let data = TestVectors.clustered(count: 3_000, dimension: Self.dimension, clusters: 20, spread: 1, seed: 9).vectors
        let index = try HNSWIndex(dimension: Self.dimension)
        var exact = try ExactIndex(dimension: Self.dimension)
        for start in stride(from: 0, to: 3_000, by: 500) {
            let chunk = TestVectors.rows(data, dimension: Self.dimension, from: start, count: 500)
            let ids = (Int32(start)..<Int32(start + 500)).map { $0 }
            try index.add(contentsOf: chunk, ids: ids)
            try exact.add(contentsOf: chunk, ids: ids)
            let queries = TestVectors.random(count: 50, dimension: Self.dimension, seed: UInt64(start))
            let recall = TestVectors.recall(try index.search(queries: queries, k: 10), try exact.search(queries: queries, k: 10), k: 10)
            #expect(recall >= 0.95, "recall \(recall) after \(start + 500) vectors")
        }
        try index.add(Array(repeating: 0.5, count: Self.dimension), id: 99_999)
        #expect(try index.search(Array(repeating: 1, count: Self.dimension), k: 1).first?.id == 99_999)
    }

    @Test func emptyIndexGivesAClearError() throws {
        let index = try HNSWIndex(dimension: 4)
        #expect(throws: TrackSpaceError.emptyIndex) { try index.search([1, 0, 0, 0], k: 5) }
        #expect(TrackSpaceError.emptyIndex.description.contains("empty"))
        // An empty index survives a round trip and still refuses searches.
        let loaded = try HNSWIndex(bytes: index.encoded())
        #expect(loaded.count == 0)
        #expect(throws: TrackSpaceError.emptyIndex) { try loaded.search([1, 0, 0, 0], k: 5) }
        var exact = try ExactIndex(dimension: 4)
        #expect(throws: TrackSpaceError.emptyIndex) { try exact.search([1, 0, 0, 0], k: 5) }
        try exact.add([1, 0, 0, 0], id: 1)
        #expect(try exact.search([1, 0, 0, 0], k: 5).count == 1)
    }

    @Test func dimensionMismatchGivesAClearError() throws {
        let (index, _) = try Self.smallIndex(count: 100)
        #expect(throws: TrackSpaceError.dimensionMismatch(expected: 16, found: 15)) {
            try index.search([Float](repeating: 1, count: 15), k: 3)
        }
        #expect(throws: TrackSpaceError.dimensionMismatch(expected: 16, found: 17)) {
            try index.add([Float](repeating: 1, count: 17), id: 1)
        }
        #expect(throws: TrackSpaceError.self) { try index.add(contentsOf: [Float](repeating: 1, count: 33), ids: [1, 2]) }
        #expect(index.count == 100)
        #expect(
            TrackSpaceError.dimensionMismatch(expected: 16, found: 15).description
                == "dimension mismatch: expected vectors of 16 values, got 15")
        var exact = try ExactIndex(dimension: 16)
        try exact.add([Float](repeating: 1, count: 16), id: 0)
        #expect(throws: TrackSpaceError.self) { try exact.search([Float](repeating: 1, count: 20), k: 3) }
    }

    @Test func corruptFilesGiveClearErrors() throws {
        let (index, _) = try Self.smallIndex(count: 300)
        let bytes = index.encoded()
        func reason(_ data: Data) -> String? {
            do {
                _ = try HNSWIndex(bytes: data, path: "x.hnsw")
                return nil
            } catch let TrackSpaceError.corruptFile(path, reason) {
                #expect(path == "x.hnsw")
                return reason
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(reason(Data())?.contains("shorter than") == true)
        #expect(reason(bytes.prefix(bytes.count - 7))?.contains("truncated") == true)
        #expect(reason(bytes.prefix(50))?.contains("shorter than") == true)
        var badMagic = bytes
        badMagic[0] = 0x41
        #expect(reason(badMagic)?.contains("magic") == true)
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        #expect(reason(flipped)?.contains("checksum") == true)
        var newer = bytes
        newer[8] = 9
        #expect(reason(newer)?.contains("version") == true)
        #expect(reason(bytes) == nil)

        let missing = Self.temporaryPath("missing.hnsw")
        #expect(throws: TrackSpaceError.self) { try HNSWIndex(contentsOf: missing) }
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: TrackSpaceError.self) { try HNSWIndex(dimension: 0) }
        #expect(throws: TrackSpaceError.self) { try HNSWIndex(dimension: 8, parameters: .init(m: 1)) }
        #expect(throws: TrackSpaceError.self) { try HNSWIndex(dimension: 8, parameters: .init(efSearch: 0)) }
    }
}
