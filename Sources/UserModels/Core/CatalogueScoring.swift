import Listening

/// A model that scores every track of the catalogue directly, not through a vector in track space.
///
/// VAE-CF's decoder gives a softmax over the catalogue; ranking tracks by those scores is the model's
/// own recommendation, while ranking by cosine to its track-space vector (`UserModel`,
/// `NextTrackPredictor`) is only an approximation of it. Evaluators that rank tracks should use
/// these scores when a model provides them, and the vector otherwise.
///
/// Scores are indexed by workspace track id (`Play.track`), `trackCount` per row; higher means
/// more likely. A track the model cannot score (outside its catalogue) gets `-Float.infinity`, so
/// it ties with every other unscored track, and ties count against the model.
/// Rows are handed to `body` one at a time, so memory stays bounded however many rows there are;
/// the buffer is only valid during the call.
public protocol CatalogueScoring {
    /// Scores per row: the workspace's track count (track ids `0..<trackCount`).
    var trackCount: Int { get }

    /// Scores for the start of each session of `sessions[targets]`, in order: row `r` is session
    /// `targets.lowerBound + r`, scored from sessions `0..<t` (never later ones), like `UserModel.predictAll`.
    func sessionCatalogueScores(
        sessions: [Session], targets: Range<Int>, _ body: (_ row: Int, _ scores: UnsafeBufferPointer<Float>) -> Void)

    /// Scores for every play of `sessions[targets]`, in order: each from every earlier play of the user
    /// (earlier sessions and the earlier plays of its own session), like `NextTrackPredictor.predictNextTracks`.
    func nextTrackCatalogueScores(
        sessions: [Session], targets: Range<Int>, _ body: (_ row: Int, _ scores: UnsafeBufferPointer<Float>) -> Void)
}

extension CatalogueScoring {
    /// `nextTrackCatalogueScores` as one row-major array (plays × `trackCount`), for small inputs and tests.
    public func nextTrackCatalogueScores(sessions: [Session], targets: Range<Int>) -> [Float] {
        var out: [Float] = []
        nextTrackCatalogueScores(sessions: sessions, targets: targets) { _, row in out.append(contentsOf: row) }
        return out
    }

    /// `sessionCatalogueScores` as one row-major array (sessions × `trackCount`), for small inputs and tests.
    public func sessionCatalogueScores(sessions: [Session], targets: Range<Int>) -> [Float] {
        var out: [Float] = []
        sessionCatalogueScores(sessions: sessions, targets: targets) { _, row in out.append(contentsOf: row) }
        return out
    }
}
