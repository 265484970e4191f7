import Listening

// Track-level forms of the session-level baselines, for the FS-VAE paper's Table 1.

extension AverageBaseline: NextTrackPredictor {
    /// The normalised mean of every earlier play of the user, updated play by play.
    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        var sum = [Float](repeating: 0, count: dimension)
        var out: [[Float]] = []
        for (index, session) in sessions.enumerated() where index < targets.upperBound {
            for play in session.plays {
                if targets.contains(index) { out.append(VectorOps.normalized(sum)) }
                tracks.withVector(play.track) { v in
                    for j in 0..<dimension { sum[j] += v[j] }
                }
            }
        }
        return out
    }
}

extension PopularityBaseline: NextTrackPredictor {
    /// The same play-count-weighted catalogue mean for every play.
    public func predictNextTracks(sessions: [Session], targets: Range<Int>) -> [[Float]] {
        let count = sessions[targets.clamped(to: sessions.indices)].reduce(0) { $0 + $1.plays.count }
        let vector = predict(history: [], context: .unknown, time: 0)
        return [[Float]](repeating: vector, count: count)
    }
}
