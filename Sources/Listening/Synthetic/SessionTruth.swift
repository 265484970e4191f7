/// The hidden state behind one generated session, for tests.
public struct SessionTruth: Sendable {
    /// The user's long-term taste at this session (base plus drift, unit length).
    public var taste: [Float]
    /// The session preference: taste plus context shifts plus noise (unit length).
    public var preference: [Float]
    /// The session's mood offset in cluster-centre coordinates (it carries over between sessions).
    public var mood: [Float]
    /// Sampling temperature of the session's context.
    public var temperature: Float
    /// Probability of each cluster for every play of the session.
    public var clusterProbabilities: [Float]
    /// The user's additive skip-logit bias.
    public var skipBias: Float
    /// The session's attention in [skipAttentionFloor, 1], which scales the distance terms of the skip logit.
    public var attention: Float = 1
}
