import Listening

/// CoSeRNN's long-term vector ū alone: past session embeddings weighted by recency.
///
/// Session i of n past sessions gets weight `decay^(n-1-i)`, so the last session counts most;
/// the weighted sum is L2-normalised. The default decay 0.9 halves a session's weight in ~7 sessions.
public struct RecencyWeightedBaseline: UserModel, Sendable {
    public let name = "Recency-weighted"
    public let tracks: TrackVectors
    public let decay: Float
    public var dimension: Int { tracks.dimension }
    public var contextFields: Set<ContextField> { [] }

    /// The baseline with `decay` per session; throws as `validate()`.
    public init(tracks: TrackVectors, decay: Float = 0.9) throws {
        self.tracks = tracks
        self.decay = decay
        try validate()
    }

    /// Throws a `ConfigurationError` unless the decay is in (0, 1].
    public func validate() throws {
        try ConfigurationError.require(
            decay > 0 && decay <= 1, "Recency-weighted baseline", field: "decay", allowed: "in (0, 1]", value: decay)
    }

    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        Self.weightedMean(history.map { tracks.sessionEmbedding($0.plays) }, decay: decay, dimension: dimension)
    }

    /// Recency-weighted, normalised mean of vectors in time order.
    public static func weightedMean(_ vectors: [[Float]], decay: Float, dimension: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: dimension)
        var weight: Float = 1
        for v in vectors.reversed() {
            for j in 0..<dimension { sum[j] += weight * v[j] }
            weight *= decay
        }
        return VectorOps.normalized(sum)
    }

    public func predictAll(sessions: [Session]) -> [[Float]] {
        // One pass: running = decay · running + e_{t-1}.
        var running = [Float](repeating: 0, count: dimension)
        var out: [[Float]] = []
        out.reserveCapacity(sessions.count)
        for session in sessions {
            out.append(VectorOps.normalized(running))
            let e = tracks.sessionEmbedding(session.plays)
            for j in 0..<dimension { running[j] = decay * running[j] + e[j] }
        }
        return out
    }
}

/// The mean of the user's past sessions in the same context; the overall mean when there are none.
///
/// "Same context" is the same daypart and device (unknown matches unknown), falling back to
/// the same daypart alone, then to all past sessions.
public struct ContextAverageBaseline: UserModel, Sendable {
    public let name = "Context average"
    public let tracks: TrackVectors
    public var dimension: Int { tracks.dimension }
    /// The daypart and device it matches past sessions on.
    public var contextFields: Set<ContextField> { [.daypart, .device] }

    public init(tracks: TrackVectors) { self.tracks = tracks }

    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        let sameBoth = history.filter { $0.context.daypart == context.daypart && $0.context.device == context.device }
        if !sameBoth.isEmpty { return tracks.sessionEmbedding(sameBoth.flatMap(\.plays)) }
        let sameDaypart = history.filter { $0.context.daypart == context.daypart }
        if !sameDaypart.isEmpty { return tracks.sessionEmbedding(sameDaypart.flatMap(\.plays)) }
        return tracks.sessionEmbedding(history.flatMap(\.plays))
    }
}
