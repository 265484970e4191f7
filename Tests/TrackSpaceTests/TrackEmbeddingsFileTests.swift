import Foundation
import Tensor
import TestSupport
import Testing
import TrackSpace

@Suite struct TrackEmbeddingsFileTests {
    static func folder() throws -> String {
        let path =
            TestScratch.root + "/setlist-embeddings-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let sample = try! TrackEmbeddings(
        dimension: 3,
        vectors: [0.1, -0.25, 1e-8, 9, 9, 9, 1.5, 2.5, -3.75, 0.333333343, 1, -1],
        trained: [true, false, true, true],
        metadata: ["window": "5"])
    static let keys = ["t0", "t1", "spotify:track:2", "t3"]

    @Test func untrainedRowsAreZeroAndMasked() {
        let e = Self.sample
        #expect(e.vectors[3..<6] == [0, 0, 0])
        #expect(e.vector(of: 1) == nil && e.vector(of: 7) == nil)
        #expect(e.vector(of: 2) == [1.5, 2.5, -3.75])
        #expect(e.trainedCount == 3 && e.trainedTracks == [0, 2, 3])
    }

    @Test func safetensorsRoundTripInTheWorkspace() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.sample.save(workspace: folder)
        #expect(FileManager.default.fileExists(atPath: folder + "/tracks-3d.safetensors"))
        let loaded = try TrackEmbeddings.load(workspace: folder, dimension: 3)
        #expect(loaded.vectors == Self.sample.vectors && loaded.trained == Self.sample.trained)
        #expect(loaded.metadata["window"] == "5" && loaded.metadata["trained_tracks"] == "3")
        // The file is plain safetensors: a [tracks, d] tensor and a 0/1 mask.
        let raw = try SafetensorsFile(contentsOf: URL(fileURLWithPath: folder + "/tracks-3d.safetensors"))
        #expect(raw.tensors["vectors"]?.shape == [4, 3] && raw.tensors["trained"]?.scalars == [1, 0, 1, 1])
        #expect(throws: TrackSpaceError.missingEmbeddings(path: folder + "/tracks-40d.safetensors", dimension: 40)) {
            try TrackEmbeddings.load(workspace: folder, dimension: 40)
        }
    }

    @Test func corruptEmbeddingsFileGivesAClearError() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/tracks-3d.safetensors"
        try Self.sample.save(workspace: folder)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: path))
        #expect {
            try TrackEmbeddings.load(workspace: folder, dimension: 3)
        } throws: { error in
            guard case TrackSpaceError.corruptFile(let p, let reason) = error else { return false }
            return p == path && reason.contains("truncated")
        }
        try SafetensorsFile(tensors: ["other": Tensor(shape: [2], scalars: [1, 2])]).write(to: URL(fileURLWithPath: path))
        #expect(throws: TrackSpaceError.corruptFile(path: path, reason: "no 2-D 'vectors' tensor")) {
            try TrackEmbeddings.load(workspace: folder, dimension: 3)
        }
        // A NaN in the vectors is refused with the track it is in, not loaded into every score.
        // The writer refuses NaN, so write a marker value and patch its bytes to a NaN (the data is little-endian Float32).
        try SafetensorsFile(tensors: [
            "vectors": Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 7.25, 1]),
            "trained": Tensor(shape: [2], scalars: [1, 1]),
        ]).write(to: URL(fileURLWithPath: path))
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = withUnsafeBytes(of: Float(7.25).bitPattern.littleEndian) { Data($0) }
        let range = try #require(data.range(of: marker))
        data.replaceSubrange(range, with: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Data($0) })
        try data.write(to: URL(fileURLWithPath: path))
        #expect(throws: TrackSpaceError.corruptFile(path: path, reason: "track 1 has a non-finite value")) {
            try TrackEmbeddings.load(workspace: folder, dimension: 3)
        }
    }

    @Test func word2VecTextRoundTripIsExact() throws {
        let text = try Self.sample.word2VecText(keys: Self.keys)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "3 3")
        #expect(lines[1] == "t0 0.1 -0.25 1e-08")
        #expect(lines[2] == "spotify:track:2 1.5 2.5 -3.75")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/vectors.txt"
        try Self.sample.exportWord2VecText(to: path, keys: Self.keys)
        // A workspace with an extra track and without t3: t3 is skipped and counted, the extra track is untrained.
        let (imported, unknown) = try TrackEmbeddings.importWord2VecText(from: path, keys: ["t0", "t1", "spotify:track:2", "new"])
        #expect(unknown == 1)
        #expect(imported.trained == [true, false, true, false])
        #expect(imported.vector(of: 0) == Self.sample.vector(of: 0) && imported.vector(of: 2) == Self.sample.vector(of: 2))
        let (same, none) = try TrackEmbeddings.importWord2VecText(from: path, keys: Self.keys)
        #expect(none == 0 && same.vectors == Self.sample.vectors && same.trained == Self.sample.trained)
    }

    @Test func realKeysWithWhitespaceAndPercentSurviveTheTextFormat() throws {
        let keys = ["Daft Punk\tOne More Time", "100% Pure", "naïve café\u{00A0}live", "plain%zz"]
        let embeddings = try TrackEmbeddings(dimension: 2, vectors: [1, 2, 3, 4, 5, 6, 7, 8], trained: [true, true, true, true])
        let text = try embeddings.word2VecText(keys: keys)
        let lines = text.split(separator: "\n")
        // Every row is one key field and two values, as gensim's reader splits it.
        #expect(lines.dropFirst().allSatisfy { $0.split(whereSeparator: \.isWhitespace).count == 3 }, "\(text)")
        #expect(lines[1].hasPrefix("Daft%20Punk%09One%20More%20Time ") && lines[2].hasPrefix("100%25%20Pure "), "\(text)")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try embeddings.exportWord2VecText(to: folder + "/v.txt", keys: keys)
        let (back, unknown) = try TrackEmbeddings.importWord2VecText(from: folder + "/v.txt", keys: keys)
        #expect(unknown == 0 && back.vectors == embeddings.vectors && back.trained == embeddings.trained)
    }

    @Test func malformedWord2VecTextGivesLineNumbers() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/bad.txt"
        func line(of text: String) -> Int? {
            try? Data(text.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try TrackEmbeddings.importWord2VecText(from: path, keys: ["a", "b"])
                return nil
            } catch let TrackSpaceError.invalidText(_, line, _) {
                return line
            } catch {
                return -1
            }
        }
        #expect(line(of: "") == 1)
        #expect(line(of: "two 3\n") == 1)
        #expect(line(of: "2 2\na 1 2\n") == 2)  // truncated: one row of two
        #expect(line(of: "1 2\na 1 2 3\n") == 2)  // too many values
        #expect(line(of: "2 2\na 1 2\nb 1 x\n") == 3)  // not a number
        #expect(line(of: "2 2\na 1 2\na 3 4\n") == 3)  // duplicate key
        #expect(line(of: "2 2\na 1 2\nb 3 4\n") == nil)
        #expect(throws: TrackSpaceError.self) { try Self.sample.word2VecText(keys: ["", "c", "d", "e"]) }
        #expect(throws: TrackSpaceError.self) { try Self.sample.word2VecText(keys: ["a"]) }
    }
}
