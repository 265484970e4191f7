import Listening

/// Predicts the embedding of the next track from the plays so far (FS-VAE's task).
///
/// Unlike `UserModel`, which predicts one vector per session, this predicts one vector per play,
/// including plays inside a session. The next-track evaluation runs on any conforming model.
public protocol NextTrackPredictor {
    /// Short name used in tables.
    var name: String { get }

    /// Dimension of the predicted vectors (the track space's).
    var dimension: Int { get }

    /// One prediction per play of `sessions[targets]`, in order.
    ///
    /// The prediction for a play uses every earlier play of the user (earlier sessions and the
    /// earlier plays of its own session), the session's context, and the play's start time.
    /// `sessions` are one user's sessions in time order.
    func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]]
}
