import Explorer
import Foundation
import Listening
import TrackSpace
import UserModels

/// A workspace opened for modelling: its sessions grouped by user, its track spaces and its trained models.
struct WorkspaceContext {
    /// Where each trained model lives in a workspace.
    enum ModelFile: String, CaseIterable {
        case cosernn, fsvae, jodie, latentcross, vaecf

        /// The papers' two models, which the default workspace trains and the explorer compares.
        static let papers: [ModelFile] = [.cosernn, .fsvae]

        /// The model's name in tables and progress lines.
        var displayName: String {
            switch self {
            case .cosernn: "CoSeRNN"
            case .fsvae: "FS-VAE"
            case .jodie, .latentcross, .vaecf: stateOfTheArt?.name ?? rawValue
            }
        }

        /// The state-of-the-art baseline this file holds, if it is one.
        var stateOfTheArt: StateOfTheArtBaseline? { StateOfTheArtBaseline(rawValue: rawValue) }

        /// The track-space dimension each model uses by default: FS-VAE's paper uses 80, the others CoSeRNN's 40.
        var dimension: Int { self == .fsvae ? 80 : 40 }

        func path(in workspace: String) -> String {
            (workspace as NSString).appendingPathComponent("models/\(rawValue).safetensors")
        }
    }

    let path: String
    let workspace: Workspace
    let vocabulary: Vocabulary
    /// Each user's sessions in time order (users without sessions are left out).
    let users: [[Session]]

    /// The first `limit` users (a `--users N` option), or all of them.
    func users(first limit: Int?) -> [[Session]] {
        limit.map { Array(users.prefix($0)) } ?? users
    }

    init(path: String) throws {
        self.path = path
        workspace = try Workspace(at: path)
        vocabulary = try workspace.vocabulary()
        var grouped: [[Session]] = []
        for session in try workspace.sessions() {
            if grouped.last?.last?.user != session.user { grouped.append([]) }
            grouped[grouped.count - 1].append(session)
        }
        users = grouped
        guard !users.isEmpty else {
            throw WorkspaceError.database(
                "\(path) has no sessions yet; import a log or run `setlist generate --workspace \(path) --replace`")
        }
    }

    /// The track vectors of `dimension`, with a message saying how to make them when missing.
    func tracks(dimension: Int) throws -> TrackVectors {
        try trackSpace(dimension: dimension).vectors
    }

    /// The track vectors of `dimension` and the split they were trained on (nil when unknown).
    func trackSpace(dimension: Int) throws -> (vectors: TrackVectors, trainingSplit: TimeSplit?) {
        let embeddings = try TrackEmbeddings.load(workspace: path, dimension: dimension)
        return (TrackVectors(dimension: embeddings.dimension, values: embeddings.vectors), embeddings.trainingSplit)
    }

    /// The mean pairwise cosine `setlist embed` stored for the track space of `dimension`, and whether it is degenerate.
    func trackSpaceHealth(dimension: Int) -> (meanPairwiseCosine: Double, isDegenerate: Bool)? {
        guard let cosine = (try? TrackEmbeddings.load(workspace: path, dimension: dimension))?.recordedMeanPairwiseCosine else {
            return nil
        }
        return (cosine, cosine > TrackSpaceHealth.degenerateCosine)
    }

    /// The split the options state, with global quantiles resolved against every session's start.
    func split(_ option: SplitOption) throws -> TimeSplit {
        try split(option.specification())
    }

    /// The split `specification` states, with global quantiles resolved against every session's start.
    func split(_ specification: TimeSplit.Specification) throws -> TimeSplit {
        try specification.resolve(sessionStarts: users.flatMap { $0.map(\.start) })
    }

    /// The trained model in `file`, or nil when it has not been trained.
    func trainedModel(_ file: ModelFile) throws -> ModelEntry? {
        let modelPath = file.path(in: path)
        guard FileManager.default.fileExists(atPath: modelPath) else { return nil }
        let url = URL(fileURLWithPath: modelPath)
        // A damaged or foreign model file names itself and the command that rewrites it.
        func read<T>(_ load: () throws -> T) throws -> T {
            do { return try load() } catch {
                throw CommandError(
                    "cannot read \(modelPath): \(error); retrain it with `setlist train \(file.rawValue) --workspace \(path)`")
            }
        }
        switch file {
        case .cosernn:
            let tracks = try tracks(dimension: file.dimension)
            let model = try read { try CoSeRNN.load(from: url, tracks: tracks) }
            return ModelEntry(model: model, tracks: model.tracks)
        case .fsvae:
            let model = try read { try FSVAE.load(from: url) }
            let tracks = try self.tracks(dimension: model.dimension)
            return ModelEntry(model: try FSVAEUserModel(model: model, tracks: tracks), tracks: tracks)
        case .jodie, .latentcross, .vaecf:
            let tracks = try tracks(dimension: file.dimension)
            guard let baseline = file.stateOfTheArt else { return nil }
            return ModelEntry(model: try read { try baseline.load(from: url, tracks: tracks) }, tracks: tracks)
        }
    }

    /// CoSeRNN and FS-VAE when trained (context-average and average baselines stand in for missing ones),
    /// then any trained state-of-the-art baseline.
    func explorerModels() throws -> (entries: [ModelEntry], notes: [String]) {
        var entries: [ModelEntry] = []
        var notes: [String] = []
        for file in ModelFile.papers {
            if let entry = try trainedModel(file) {
                entries.append(entry)
            } else {
                notes.append("no \(file.rawValue) model: run `setlist train \(file.rawValue) --workspace \(path)`")
            }
        }
        if entries.count < 2 {
            let tracks = try self.tracks(dimension: entries.first?.tracks.dimension ?? 40)
            if entries.isEmpty { entries.append(ModelEntry(model: ContextAverageBaseline(tracks: tracks), tracks: tracks)) }
            entries.append(ModelEntry(model: AverageBaseline(tracks: tracks), tracks: tracks))
        }
        for file in ModelFile.allCases where file.stateOfTheArt != nil {
            if let entry = try trainedModel(file) { entries.append(entry) }
        }
        return (entries, notes)
    }
}
