import Foundation
import Tensor

extension TrackEmbeddings {
    /// The `format` metadata value that marks a Setlist embeddings file.
    static let formatName = "setlist-track-embeddings"

    /// Reads embeddings from a safetensors file: a `vectors` [tracks, d] tensor and a `trained` [tracks] 0/1 mask.
    public init(contentsOf url: URL) throws {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch let error as SafetensorsError {
            if case .io = error { throw TrackSpaceError.io(path: url.path, reason: error.description) }
            throw TrackSpaceError.corruptFile(path: url.path, reason: error.description)
        }
        guard let vectors = file.tensors["vectors"], vectors.rank == 2 else {
            throw TrackSpaceError.corruptFile(path: url.path, reason: "no 2-D 'vectors' tensor")
        }
        guard let mask = file.tensors["trained"], mask.shape == [vectors.shape[0]] else {
            throw TrackSpaceError.corruptFile(path: url.path, reason: "no 'trained' mask with one entry per track")
        }
        guard vectors.shape[1] > 0 else { throw TrackSpaceError.corruptFile(path: url.path, reason: "zero-length vectors") }
        if let stated = file.metadata["dimension"], Int(stated) != vectors.shape[1] {
            throw TrackSpaceError.corruptFile(
                path: url.path, reason: "metadata says dimension \(stated), the tensor has \(vectors.shape[1])")
        }
        // A NaN or infinite value would poison every score it touches (recommend printed nan scores).
        if let bad = vectors.scalars.firstIndex(where: { !$0.isFinite }) {
            throw TrackSpaceError.corruptFile(path: url.path, reason: "track \(bad / vectors.shape[1]) has a non-finite value")
        }
        try self.init(
            dimension: vectors.shape[1], vectors: vectors.scalars, trained: mask.scalars.map { $0 != 0 },
            metadata: file.metadata)
    }

    /// Writes the embeddings atomically as safetensors (readable by PyTorch's safetensors loader).
    public func write(to url: URL) throws {
        var metadata = self.metadata
        metadata["format"] = Self.formatName
        metadata["version"] = "1"
        metadata["dimension"] = String(dimension)
        metadata["tracks"] = String(trackCount)
        metadata["trained_tracks"] = String(trainedCount)
        metadata["untrained_rows"] = "zero vectors, trained = 0"
        let file = SafetensorsFile(
            tensors: [
                "vectors": Tensor(shape: [trackCount, dimension], scalars: vectors),
                "trained": Tensor(shape: [trackCount], scalars: trained.map { $0 ? 1 : 0 }),
            ],
            metadata: metadata)
        do {
            try file.write(to: url)
        } catch let error as SafetensorsError {
            throw TrackSpaceError.io(path: url.path, reason: error.description)
        }
    }

    /// Loads the embeddings of `dimension` from a workspace folder.
    public static func load(workspace: String, dimension: Int) throws -> TrackEmbeddings {
        let path = TrackEmbeddingFile.path(in: workspace, dimension: dimension)
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrackSpaceError.missingEmbeddings(path: path, dimension: dimension)
        }
        let embeddings = try TrackEmbeddings(contentsOf: URL(fileURLWithPath: path))
        guard embeddings.dimension == dimension else {
            throw TrackSpaceError.corruptFile(path: path, reason: "holds \(embeddings.dimension)-d vectors, the name says \(dimension)")
        }
        return embeddings
    }

    /// Saves the embeddings into a workspace folder, under the name of their dimension.
    public func save(workspace: String) throws {
        try write(to: URL(fileURLWithPath: TrackEmbeddingFile.path(in: workspace, dimension: dimension)))
    }
}
