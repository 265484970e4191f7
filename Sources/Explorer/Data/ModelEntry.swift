import UserModels

/// A model the explorer can show, with the track space its predictions live in.
public struct ModelEntry {
    public let model: UserModel
    public let tracks: TrackVectors
    public let search: NeighbourSearch

    public init(model: UserModel, tracks: TrackVectors, search: NeighbourSearch? = nil) {
        self.model = model
        self.tracks = tracks
        self.search = search ?? ExactSearch(tracks: tracks)
    }

    public var name: String { model.name }

    /// The model's long-term/short-term split, when it mixes the two (CoSeRNN).
    public var gate: GateExplaining? { model as? GateExplaining }

    /// The model's posterior sampler, when it has one (FS-VAE).
    public var sampler: PosteriorSampling? { model as? PosteriorSampling }
}
