import ArgumentParser
import Explorer
import UserModels

/// A model a command can ask for by name: a trained one from the workspace, or an untrained baseline.
enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
    case cosernn, fsvae, jodie, latentcross, vaecf, average
    case contextAverage = "context-average"

    /// The names `--model` accepts, for help texts.
    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The model with its track space; a baseline uses the 40-d space unless `dimension` says otherwise.
    func entry(in context: WorkspaceContext, dimension: Int = 40) throws -> ModelEntry {
        switch self {
        case .cosernn, .fsvae, .jodie, .latentcross, .vaecf:
            let file = WorkspaceContext.ModelFile(rawValue: rawValue) ?? .cosernn
            guard let entry = try context.trainedModel(file) else {
                throw CommandError(
                    "no trained \(rawValue) model in \(context.path): run `setlist train \(rawValue) --workspace \(context.path)`")
            }
            return entry
        case .average:
            let tracks = try context.tracks(dimension: dimension)
            return ModelEntry(model: AverageBaseline(tracks: tracks), tracks: tracks)
        case .contextAverage:
            let tracks = try context.tracks(dimension: dimension)
            return ModelEntry(model: ContextAverageBaseline(tracks: tracks), tracks: tracks)
        }
    }
}
