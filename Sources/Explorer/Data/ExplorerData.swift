import Evaluation
import Listening
import UserModels

/// Everything the explorer shows, loaded once: users and sessions, the models and their track spaces.
public final class ExplorerData {
    public let title: String
    public let vocabulary: Vocabulary
    /// Each user's sessions in time order, indexed like `stats`.
    public let users: [[Session]]
    public let stats: [UserStats]
    /// Models in display order; the compare view shows the first two.
    public let models: [ModelEntry]
    /// The track space the analyses and the projection use (the first model's).
    public let tracks: TrackVectors
    public let projection: TrackProjection
    /// The first model's track-space health as `setlist embed` measured it, for the status line (nil when unknown).
    public var trackSpaceHealth: (meanPairwiseCosine: Double, isDegenerate: Bool)?
    /// Every track of `tracks` on the projection's plane, interleaved (x, y); the trajectory's backdrop.
    public let trackPlane: [Float]
    /// What the recommendation mix bar groups tracks by.
    public let groups: TrackGroups

    private var predictionCache: [Int: [[[Float]]]] = [:]
    private var heatmaps: [ContextDimension: SameContextHeatmap] = [:]
    private var diversities: [ContextDimension: ContextDiversity] = [:]
    private var skipAnalysis: SkipSimilarity?
    /// The last posterior stability computed: sampling is the slowest part of a frame.
    var stabilityCache: (key: StabilityKey, value: PosteriorStability)?

    public init(title: String, vocabulary: Vocabulary, users: [[Session]], models: [ModelEntry]) {
        precondition(!models.isEmpty, "the explorer needs at least one model")
        self.title = title
        self.vocabulary = vocabulary
        self.users = users.filter { !$0.isEmpty }
        self.models = models
        tracks = models[0].tracks
        let tracks = models[0].tracks
        stats = self.users.map { sessions in
            let user = sessions[0].user
            let key = Int(user) < vocabulary.users.count ? vocabulary.users[Int(user)] : "user \(user)"
            return UserStats(user: user, key: key, sessions: sessions, tracks: tracks)
        }
        projection = TrackProjection(tracks: tracks)
        trackPlane = projection.projectAll(tracks)
        groups = TrackGroups(vocabulary: vocabulary, trackCount: tracks.count)
    }

    /// Every model's predictions for every session of user `index` (cached).
    public func predictions(user index: Int) -> [[[Float]]] {
        if let cached = predictionCache[index] { return cached }
        let value = models.map { $0.model.predictAll(sessions: users[index]) }
        if predictionCache.count > 256 { predictionCache.removeAll() }
        predictionCache[index] = value
        return value
    }

    /// Model `model`'s prediction for session `session` of user `user` in `context`.
    public func prediction(model: Int, user: Int, session: Int, context: SessionContext?) -> [Float] {
        let sessions = users[user]
        guard let context, context != sessions[session].context else { return predictions(user: user)[model][session] }
        return models[model].model.predict(history: sessions[0..<session], context: context, time: sessions[session].start)
    }

    /// The track's display name.
    public func trackName(_ track: Int32) -> String {
        guard Int(track) < vocabulary.tracks.count else { return "track \(track)" }
        let info = vocabulary.tracks[Int(track)]
        if let name = info.name, let artist = info.artist { return "\(name) — \(artist)" }
        return info.name ?? info.key
    }

    public func heatmap(_ dimension: ContextDimension) -> SameContextHeatmap {
        if let cached = heatmaps[dimension] { return cached }
        let value = SameContextHeatmap(users: users, tracks: tracks, vocabulary: vocabulary, dimension: dimension)
        heatmaps[dimension] = value
        return value
    }

    public func diversity(_ dimension: ContextDimension) -> ContextDiversity {
        if let cached = diversities[dimension] { return cached }
        let value = ContextDiversity(
            sessions: users.flatMap { $0 }, tracks: tracks, vocabulary: vocabulary, dimension: dimension,
            pairsPerValue: 5_000)
        diversities[dimension] = value
        return value
    }

    public var skips: SkipSimilarity {
        if let skipAnalysis { return skipAnalysis }
        let value = SkipSimilarity(users: users, tracks: tracks)
        skipAnalysis = value
        return value
    }
}
