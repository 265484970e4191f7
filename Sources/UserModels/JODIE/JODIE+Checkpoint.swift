import Foundation
import Tensor

extension JODIE {
    /// Metadata key holding the JSON config.
    static let configKey = "jodie_config"
    /// Metadata key holding the track-space dimension.
    static let dimensionKey = "dimension"
    /// Metadata value of `"model"`.
    static let modelName = "JODIE"
    /// Tensor names of the frozen item states (not parameters, but part of the trained model).
    static let itemStatesKey = "items.states"
    static let itemSeenKey = "items.seen"
    /// Item times as two exactly representable halves: high = t / 2¹⁶ and low = t mod 2¹⁶.
    static let itemTimeHighKey = "items.time_high"
    static let itemTimeLowKey = "items.time_low"

    /// Saves the weights, the frozen item states and the config (as safetensors metadata) atomically; refuses non-finite weights.
    public func save(to url: URL) throws {
        try checkFinite(self, step: 0)
        var tensors = stateDictionary()
        let n = frozenItems.count, h = config.dynamicSize
        tensors[Self.itemStatesKey] = Tensor(shape: [n, h], scalars: frozenItems.states)
        tensors[Self.itemSeenKey] = Tensor(shape: [n], scalars: frozenItems.seen.map { $0 ? 1 : 0 })
        tensors[Self.itemTimeHighKey] = Tensor(shape: [n], scalars: frozenItems.lastTime.map { Float($0 >> 16) })
        tensors[Self.itemTimeLowKey] = Tensor(shape: [n], scalars: frozenItems.lastTime.map { Float($0 & 0xFFFF) })
        let metadata = [Self.configKey: try TrainingJSON.encode(config), Self.dimensionKey: String(dimension), "model": Self.modelName]
        try SafetensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Loads a model saved by `save(to:)`; throws `JODIEError.badCheckpoint` for another model's file or a damaged one.
    public static func load(from url: URL) throws -> JODIE {
        let file = try SafetensorsFile(contentsOf: url)
        guard file.metadata["model"] == modelName else {
            throw JODIEError.badCheckpoint("its 'model' metadata is \(file.metadata["model"].map { "'\($0)'" } ?? "missing")")
        }
        guard let json = file.metadata[configKey] else { throw JODIEError.badCheckpoint("no '\(configKey)' metadata") }
        guard let dimension = file.metadata[dimensionKey].flatMap({ Int($0) }) else {
            throw JODIEError.badCheckpoint("no '\(dimensionKey)' metadata")
        }
        let config: JODIEConfig
        do {
            config = try TrainingJSON.decode(JODIEConfig.self, from: json)
        } catch {
            throw JODIEError.badCheckpoint("unreadable config: \(error)")
        }
        let model = try JODIE(config: config, dimension: dimension)
        do {
            try model.loadStateDictionary(file.tensors)
        } catch let error as LayerError {
            throw JODIEError.badCheckpoint(error.description)
        }
        guard let states = file.tensors[itemStatesKey], let seen = file.tensors[itemSeenKey],
            let high = file.tensors[itemTimeHighKey], let low = file.tensors[itemTimeLowKey],
            states.rank == 2, states.shape[1] == config.dynamicSize,
            seen.count == states.shape[0], high.count == seen.count, low.count == seen.count
        else { throw JODIEError.badCheckpoint("missing or inconsistent item states") }
        var items = JODIEItemStates(count: seen.count, size: config.dynamicSize)
        items.states = states.scalars
        items.seen = seen.scalars.map { $0 != 0 }
        items.lastTime = zip(high.scalars, low.scalars).map { Int64($0) << 16 | Int64($1) }
        model.frozenItems = items
        return model
    }
}
