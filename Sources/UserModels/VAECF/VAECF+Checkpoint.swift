import Foundation
import Tensor

extension VAECF {
    /// Metadata key holding the JSON config.
    static let configKey = "vaecf_config"
    /// Metadata key holding the size of the track table the catalogue indexes.
    static let trackCountKey = "track_count"
    /// Metadata key naming the model.
    static let modelKey = "model"
    /// Tensor holding the catalogue's workspace track ids (as Float32, exact below 2²⁴).
    static let catalogueKey = "catalogue.track_ids"

    /// Saves the weights, the catalogue and the config (as safetensors metadata) atomically; refuses NaN weights.
    ///
    /// VAE-CF has no track-space dimension (it never reads track vectors); the metadata names the
    /// track-table size instead, which a binding checks.
    public func save(to url: URL) throws {
        try checkFinite(self, step: 0)
        var tensors = stateDictionary()
        tensors[Self.catalogueKey] = Tensor(shape: [catalogue.count], scalars: catalogue.tracks.map { Float($0) })
        let metadata = [
            Self.configKey: try TrainingJSON.encode(config), Self.trackCountKey: String(catalogue.trackCount), Self.modelKey: "VAE-CF",
        ]
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Loads a model saved by `save(to:)`; a file of another model or with missing or inconsistent parts
    /// throws `VAECFError.badCheckpoint` (or the safetensors reader's error for a damaged file).
    public static func load(from url: URL) throws -> VAECF {
        let file = try SafetensorsFile(contentsOf: url)
        guard file.metadata[modelKey] == "VAE-CF" else {
            throw VAECFError.badCheckpoint("the file's model is \(file.metadata[modelKey].map { "'\($0)'" } ?? "not named")")
        }
        guard let json = file.metadata[configKey] else { throw VAECFError.badCheckpoint("no '\(configKey)' metadata") }
        guard let trackCount = file.metadata[trackCountKey].flatMap({ Int($0) }) else {
            throw VAECFError.badCheckpoint("no '\(trackCountKey)' metadata")
        }
        let config: VAECFConfig
        do {
            config = try TrainingJSON.decode(VAECFConfig.self, from: json)
        } catch {
            throw VAECFError.badCheckpoint("unreadable config: \(error)")
        }
        guard let ids = file.tensors[catalogueKey], ids.rank == 1 else { throw VAECFError.badCheckpoint("no '\(catalogueKey)' tensor") }
        let tracks = try ids.scalars.map { value -> Int32 in
            guard value >= 0, value == value.rounded(), value < Float(1 << 24) else {
                throw VAECFError.badCheckpoint("catalogue id \(value) is not a track id")
            }
            return Int32(value)
        }
        let catalogue: VAECFCatalogue
        do {
            catalogue = try VAECFCatalogue(tracks: tracks, trackCount: trackCount)
        } catch {
            throw VAECFError.badCheckpoint("\(error)")
        }
        let model = try VAECF(config: config, catalogue: catalogue)
        do {
            try model.loadStateDictionary(file.tensors)
        } catch {
            throw VAECFError.badCheckpoint("\(error)")
        }
        return model
    }
}
