import ArgumentParser
import Foundation
import Listening
import TrackSpace

/// `setlist neighbours TRACK`: the nearest tracks in embedding space.
struct NeighboursCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbours",
        abstract: "Print the tracks nearest to a track in embedding space (cosine).",
        discussion: """
            TRACK is a track key as in the imported log, or #ID for a workspace track id. Uses the HNSW index written by `setlist embed`; --exact searches every track instead.
            """,
        aliases: ["neighbors"])

    @OptionGroup var workspaceOption: WorkspaceOption
    @Argument(help: "Track key, or #ID.") var track: String
    @Option(name: .short, help: "Number of neighbours.") var k = 10
    @Option(help: "Which embeddings: their dimension.") var dimension = 40
    @Option(help: "HNSW candidate list size (default: the index's).") var ef: Int?
    @Flag(help: "Exact (brute-force) search instead of the HNSW index.") var exact = false

    func validate() throws {
        guard k > 0 else { throw ValidationError("-k must be at least 1") }
        if let ef, ef < 1 { throw ValidationError("--ef must be at least 1") }
    }

    func run() throws {
        let folder = workspaceOption.path
        let vocabulary = try Workspace(at: folder, readOnly: true).vocabulary()
        let id = try Self.resolve(track, in: vocabulary)
        let embeddings = try TrackEmbeddings.load(workspace: folder, dimension: dimension)
        guard embeddings.trackCount == vocabulary.tracks.count else {
            throw TrackSpaceError.invalidArgument(
                "the \(dimension)-d embeddings cover \(embeddings.trackCount) tracks, the workspace has \(vocabulary.tracks.count): run `setlist embed --dimension \(dimension)` again"
            )
        }
        guard let query = embeddings.vector(of: id) else { throw TrackSpaceError.untrainedTrack(vocabulary.tracks[id].key) }

        var found: [Neighbour]
        var method = "exact"
        let indexPath = TrackEmbeddingFile.indexPath(in: folder, dimension: dimension)
        if !exact, FileManager.default.fileExists(atPath: indexPath) {
            let index = try HNSWIndex(contentsOf: indexPath)
            guard index.isBuilt(from: embeddings) else {
                throw TrackSpaceError.invalidArgument(
                    "\(indexPath) was not built from the current \(dimension)-d embeddings (\(index.count) vectors for \(embeddings.trainedCount) trained tracks): run `setlist embed --dimension \(dimension)` again or pass --exact"
                )
            }
            if let ef { index.efSearch = ef }
            method = "HNSW, efSearch \(index.efSearch)"
            found = try index.search(query, k: k + 1)
        } else {
            if !exact { FileHandle.standardError.write(Data("No index at \(indexPath); searching exactly.\n".utf8)) }
            found = try embeddings.exactIndex().search(query, k: k + 1)
        }
        found.removeAll { $0.id == Int32(id) }
        found = Array(found.prefix(k))

        print("Nearest to \(Self.describe(vocabulary.tracks[id])) (\(dimension)-d, \(method)):")
        for (rank, neighbour) in found.enumerated() {
            let info = vocabulary.tracks[Int(neighbour.id)]
            print(String(format: "%3d  %.4f  ", rank + 1, neighbour.similarity) + Self.describe(info))
        }
    }

    /// The track id of a key or "#ID".
    static func resolve(_ text: String, in vocabulary: Vocabulary) throws -> Int {
        if text.hasPrefix("#"), let id = Int(text.dropFirst()) {
            guard id >= 0, id < vocabulary.tracks.count else { throw TrackSpaceError.unknownTrack(text) }
            return id
        }
        guard let id = vocabulary.tracks.firstIndex(where: { $0.key == text }) else { throw TrackSpaceError.unknownTrack(text) }
        return id
    }

    /// Key, then "name — artist" when known.
    static func describe(_ info: TrackInfo) -> String {
        let names = [info.name, info.artist].compactMap { $0 }.filter { !$0.isEmpty }
        return names.isEmpty ? info.key : "\(info.key)  \(names.joined(separator: " — "))"
    }
}
