import Foundation
import Listening

/// Where a workspace keeps its track embeddings: `tracks-<dimension>d.safetensors`, so CoSeRNN's 40-d and FS-VAE's 80-d spaces coexist.
public enum TrackEmbeddingFile {
    /// The path of the embeddings of `dimension` in a workspace folder.
    public static func path(in workspace: String, dimension: Int) -> String {
        (workspace as NSString).appendingPathComponent("tracks-\(dimension)d.safetensors")
    }
}

extension TrackEmbeddingFile {
    /// The path of the HNSW index over the embeddings of `dimension`: `tracks-<dimension>d.hnsw`.
    public static func indexPath(in workspace: String, dimension: Int) -> String {
        (workspace as NSString).appendingPathComponent("tracks-\(dimension)d.hnsw")
    }
}

extension TrackEmbeddingFile {
    /// The dimensions of the track spaces a workspace folder holds, ascending.
    public static func dimensions(in workspace: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: workspace)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("tracks-"), name.hasSuffix("d.safetensors") else { return nil }
            return Int(name.dropFirst("tracks-".count).dropLast("d.safetensors".count))
        }.sorted()
    }
}
