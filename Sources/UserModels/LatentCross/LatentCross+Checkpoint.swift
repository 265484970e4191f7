import Foundation
import Tensor

extension LatentCross {
    /// Metadata key holding the JSON config.
    static let configKey = "latentcross_config"
    /// Metadata key holding the track-space dimension.
    static let dimensionKey = "dimension"
    /// The `"model"` metadata value of a LatentCross file.
    static let modelName = "LatentCross"

    /// Saves the weights, with the config, the dimension and the model name as safetensors metadata,
    /// atomically; refuses non-finite weights.
    public func save(to url: URL) throws {
        try checkFinite(self, step: 0)
        let metadata = [Self.configKey: try TrainingJSON.encode(config), Self.dimensionKey: String(dimension), "model": Self.modelName]
        try SafetensorsFile(tensors: stateDictionary(), metadata: metadata).write(to: url)
    }

    /// Loads a model saved by `save(to:)`; throws `LatentCrossError.badCheckpoint` for another
    /// model's file, a missing or unreadable config, or missing, misshapen or non-finite weights.
    public static func load(from url: URL) throws -> LatentCross {
        let file = try SafetensorsFile(contentsOf: url)
        guard file.metadata["model"] == modelName else {
            throw LatentCrossError.badCheckpoint("its model is \(file.metadata["model"].map { "'\($0)'" } ?? "not named")")
        }
        guard let json = file.metadata[configKey] else { throw LatentCrossError.badCheckpoint("no '\(configKey)' metadata") }
        guard let dimension = file.metadata[dimensionKey].flatMap({ Int($0) }), dimension > 0 else {
            throw LatentCrossError.badCheckpoint("no valid '\(dimensionKey)' metadata")
        }
        let config: LatentCrossConfig
        do {
            config = try TrainingJSON.decode(LatentCrossConfig.self, from: json)
        } catch {
            throw LatentCrossError.badCheckpoint("unreadable config: \(error)")
        }
        let model: LatentCross
        do {
            model = try LatentCross(config: config, dimension: dimension)
            try model.loadStateDictionary(file.tensors)
            try checkFinite(model, step: 0)
        } catch {
            throw LatentCrossError.badCheckpoint("\(error)")
        }
        return model
    }
}
