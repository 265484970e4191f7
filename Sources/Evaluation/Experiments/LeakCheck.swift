import Listening

/// Whether a track space (or anything else fitted on a split's training part) saw sessions an evaluation scores.
///
/// A session is seen when it lies in the training part of the split the track space was fitted on;
/// an unknown split (imported vectors, older files) counts as having seen every session. Scored
/// sessions are the evaluation split's validation sessions (model selection) and test sessions.
public struct LeakCheck: Sendable, Equatable, Codable {
    /// Validation sessions of the evaluation that the track space was trained on.
    public var validationSeen: Int
    /// Test sessions of the evaluation that the track space was trained on.
    public var testSeen: Int
    /// Validation and test sessions of the evaluation.
    public var validationSessions: Int
    public var testSessions: Int
    /// The track space's split in words ("unknown" when not recorded).
    public var trainedOn: String

    /// Compares the track space's training split with the evaluation's split over `users`.
    public init(trackSpaceSplit: TimeSplit?, evaluationSplit: TimeSplit, users: [[Session]]) {
        validationSeen = 0
        testSeen = 0
        validationSessions = 0
        testSessions = 0
        trainedOn = trackSpaceSplit?.description ?? "unknown sessions (imported, or trained before splits were recorded)"
        for sessions in users {
            let scored = evaluationSplit.ranges(of: sessions)
            let seen = trackSpaceSplit.map { $0.range(.train, of: sessions) } ?? sessions.indices
            validationSessions += scored.validation.count
            testSessions += scored.test.count
            validationSeen += scored.validation.clamped(to: seen).count
            testSeen += scored.test.clamped(to: seen).count
        }
    }

    /// True when no validation or test session reached the track space.
    public var isClean: Bool { validationSeen == 0 && testSeen == 0 }

    /// What the track space saw, to follow "the track space was": "trained on 3 of 40 test sessions and …".
    public var seen: String {
        "trained on \(testSeen) of \(testSessions) test sessions and \(validationSeen) of \(validationSessions) validation sessions (it was fitted on \(trainedOn))"
    }

    /// One line saying what leaked, or that nothing did.
    public var summary: String {
        isClean ? "no validation or test session reached the track space" : "the track space was \(seen)"
    }
}
