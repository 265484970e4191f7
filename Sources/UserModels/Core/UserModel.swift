import Listening

/// Predicts a user vector in track space for a session, from the user's past sessions and the session's context.
///
/// CoSeRNN, FS-VAE and every baseline conform, so evaluation, recommendations and the explorer
/// treat them alike. Recommendations are the tracks nearest to the prediction.
///
/// Not `Sendable`: the neural models are trainable classes whose weights `train` updates in place,
/// so a model belongs to one thread at a time (experiments train and score each model inside its
/// own job). The stateless baselines are `Sendable` value types.
public protocol UserModel {
    /// Short name used in tables, e.g. "CoSeRNN" or "Average".
    var name: String { get }

    /// Dimension of the predicted vectors (the track space's).
    var dimension: Int { get }

    /// The fields of the session's context the prediction reads; changing any other field leaves it unchanged.
    var contextFields: Set<ContextField> { get }

    /// The prediction for a session that starts at `time` in `context`, given `history`
    /// (the user's earlier sessions in time order; it may be empty).
    func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float]

    /// Predictions for every session of one user: row t uses sessions 0..<t and session t's
    /// own context and start time. Models with recurrent state override this with one pass.
    func predictAll(sessions: [Session]) -> [[Float]]
}

extension UserModel {
    public func predictAll(sessions: [Session]) -> [[Float]] {
        sessions.indices.map { t in
            predict(history: sessions[0..<t], context: sessions[t].context, time: sessions[t].start)
        }
    }
}
