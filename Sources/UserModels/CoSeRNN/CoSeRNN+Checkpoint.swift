import Foundation
import Tensor

extension CoSeRNN {
    /// Metadata key of the format marker in model files.
    static let formatKey = "format"
    /// The format marker of CoSeRNN model files.
    static let format = "setlist.cosernn.v1"

    /// Saves the weights to a safetensors file with the config JSON and name as metadata.
    ///
    /// Keys follow PyTorch (`lstm.weight_ih_l0`, `dense.0.weight`, …), so the file loads in Python.
    public func save(to url: URL) throws {
        try checkFinite(self, step: 0)
        try saveCheckpoint(to: url, metadata: ["config": configJSON, "name": name, Self.formatKey: Self.format])
    }

    /// Loads a model saved by `save(to:)` (or the weights of a training checkpoint) over `tracks`.
    public static func load(from url: URL, tracks: TrackVectors) throws -> CoSeRNN {
        let file = try SafetensorsFile(contentsOf: url)
        guard let json = file.metadata["config"] else { throw TrainingError.notACheckpoint(path: url.path) }
        let config = try TrainingJSON.decode(CoSeRNNConfig.self, from: json)
        guard config.dimension == tracks.dimension else {
            throw TrainingError.configMismatch(expected: "dimension \(tracks.dimension)", found: "dimension \(config.dimension)")
        }
        let model = try CoSeRNN(config: config, tracks: tracks, name: file.metadata["name"] ?? "CoSeRNN")
        try model.loadStateDictionary(file.tensors)
        return model
    }
}
