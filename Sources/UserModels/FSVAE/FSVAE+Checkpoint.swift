import Foundation
import Listening
import Tensor

extension FSVAE {
    /// Metadata key holding the JSON config.
    static let configKey = "fsvae_config"
    /// Metadata key holding the track-space dimension.
    static let dimensionKey = "dimension"
    /// Tensor names of the slow-feature standardisation (not parameters, but part of the model).
    static let slowMeanKey = "slow.feature_mean"
    static let slowDeviationKey = "slow.feature_std"

    /// Saves the weights and config (as safetensors metadata) atomically; refuses NaN weights.
    public func save(to url: URL) throws {
        try checkFinite(self, step: 0)
        let json = try StableJSON.text(config)
        var tensors = stateDictionary()
        let count = config.slowWidth(dimension: dimension)
        tensors[Self.slowMeanKey] = Tensor(shape: [count], scalars: slowNormalization.mean)
        tensors[Self.slowDeviationKey] = Tensor(shape: [count], scalars: slowNormalization.deviation)
        let metadata = [Self.configKey: json, Self.dimensionKey: String(dimension), "model": "FS-VAE"]
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Loads a model saved by `save(to:)`: the config is read from the file, then the weights.
    public static func load(from url: URL) throws -> FSVAE {
        let file = try SafetensorsFile(contentsOf: url)
        guard let json = file.metadata[configKey] else { throw FSVAEError.badCheckpoint("no '\(configKey)' metadata") }
        guard let dimension = file.metadata[dimensionKey].flatMap({ Int($0) }) else {
            throw FSVAEError.badCheckpoint("no '\(dimensionKey)' metadata")
        }
        let config: FSVAEConfig
        do {
            config = try JSONDecoder().decode(FSVAEConfig.self, from: Data(json.utf8))
        } catch {
            throw FSVAEError.badCheckpoint("unreadable config: \(error)")
        }
        let model = try FSVAE(config: config, dimension: dimension)
        try model.loadStateDictionary(file.tensors)
        let count = config.slowWidth(dimension: dimension)
        guard let mean = file.tensors[slowMeanKey], let deviation = file.tensors[slowDeviationKey],
            mean.count == count, deviation.count == count
        else { throw FSVAEError.badCheckpoint("no slow-feature standardisation") }
        model.slowNormalization = (mean.scalars, deviation.scalars)
        return model
    }
}
