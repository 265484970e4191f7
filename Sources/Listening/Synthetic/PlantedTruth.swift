/// The constants of every effect the generator plants; documented in Docs/synthetic-data.md.
public struct SyntheticParameters: Sendable, Hashable, Codable {
    /// Minimum dimension of the latent track space (it is max(this, clusters) so centres are orthonormal).
    public var minimumDimension = 32
    /// Norm of the per-track Gaussian offset from its cluster centre before normalisation.
    public var trackSpread: Float = 0.5
    /// Zipf exponent of popularity within a cluster: weight ∝ 1 / (rank + popularityOffset)^exponent.
    public var popularityExponent: Double = 0.9
    /// Rank offset of the within-cluster Zipf law.
    public var popularityOffset: Double = 5

    /// Weight of the user's second favourite cluster in the long-term taste (the first has 1).
    public var secondFavouriteWeight: Float = 0.5
    /// Norm of the Gaussian offset in the long-term taste (full latent space).
    public var tasteNoise: Float = 0.2

    /// Weight of the daypart's target cluster centre in the session preference.
    public var daypartShift: Float = 0.9
    /// Weight of the device's target cluster centre in the session preference.
    public var deviceShift: Float = 0.7
    /// Expected norm of the per-session Gaussian noise (in the span of the cluster centres).
    public var sessionNoise: Float = 0.3

    /// Sharpness κ of the softmax over clusters: P(c) ∝ exp(κ / T · cos(preference, centre_c)).
    public var sharpness: Float = 8
    /// Added to the temperature T when the daypart is rare (night, early morning).
    public var rareDaypartHeat: Float = 0.7
    /// Added to the temperature T when the device is rare (tv, car).
    public var rareDeviceHeat: Float = 0.7

    /// Expected norm of one drift step (in the span of the cluster centres).
    public var driftStep: Float = 0.12
    /// Share of the drift offset kept from one session to the next (mean reversion toward the base taste).
    public var driftRetention: Float = 0.98

    /// Skip logit intercept a in P(skip) = sigmoid(a + b·(1 − cos(track, preference)) + userBias).
    public var skipBase: Float = -2.5
    /// Skip logit slope b.
    public var skipSlope: Float = 4
    /// Per-user skip bias is uniform in ±skipUserSpread.
    public var skipUserSpread: Float = 0.3

    /// Probability that a session starts near one of the user's two habitual hours (±1 h).
    public var habitualHourShare = 0.75
    /// Probability that a session uses the user's primary device.
    public var primaryDeviceShare = 0.7
    /// Probability that a session uses the user's primary stream source.
    public var primarySourceShare = 0.5
    /// Mean of the exponential part of the gap between sessions, in seconds (1 h minimum is added).
    public var meanExtraGap: Double = 12 * 3600

    /// The values the generator uses.
    public static let standard = SyntheticParameters()
}

/// The structure a `SyntheticGenerator` planted, for tests and analyses that check recovery.
public struct PlantedTruth: Sendable {
    /// Dimension of the latent track space.
    public var dimension: Int
    /// Number of genre clusters.
    public var clusterCount: Int
    /// Cluster of each track.
    public var trackCluster: [Int32]
    /// Unit latent vector of each track, row-major tracks × dimension.
    public var trackVectors: [Float]
    /// Orthonormal cluster centres, row-major clusters × dimension.
    public var clusterCentres: [Float]
    /// Probability of each track within its cluster (sums to 1 per cluster).
    public var trackPopularity: [Float]
    /// Full duration of each track in seconds (150–300).
    public var trackDuration: [Int32]
    /// Target cluster of each daypart, indexed by `Daypart.rawValue`.
    public var daypartTarget: [Int]
    /// Target cluster of each device, indexed like `Vocabulary.devices`.
    public var deviceTarget: [Int]
    /// Dayparts with higher sampling temperature.
    public var rareDayparts: Set<Daypart>
    /// Devices (indices) with higher sampling temperature.
    public var rareDevices: Set<Int>
    /// Global share of each device among sessions' device draws (before user habits).
    public var deviceShares: [Double]
    /// Global share of each stream source.
    public var sourceShares: [Double]
    /// Global relative weight of each hour of day 0–23 when a session starts.
    public var hourWeights: [Double]
    /// The constants of the planted effects.
    public var parameters: SyntheticParameters

    /// The latent vector of a track.
    public func trackVector(_ track: Int) -> ArraySlice<Float> {
        trackVectors[track * dimension ..< (track + 1) * dimension]
    }

    /// The centre of a cluster.
    public func clusterCentre(_ cluster: Int) -> ArraySlice<Float> {
        clusterCentres[cluster * dimension ..< (cluster + 1) * dimension]
    }

    /// Sampling temperature of a session context (1 for common contexts, higher for rare ones).
    public func temperature(daypart: Daypart, device: Int) -> Float {
        var t: Float = 1
        if rareDayparts.contains(daypart) { t += parameters.rareDaypartHeat }
        if rareDevices.contains(device) { t += parameters.rareDeviceHeat }
        return t
    }
}

/// The hidden state behind one generated session, for tests.
public struct SessionTruth: Sendable {
    /// The user's long-term taste at this session (base plus drift, unit length).
    public var taste: [Float]
    /// The session preference: taste plus context shifts plus noise (unit length).
    public var preference: [Float]
    /// Sampling temperature of the session's context.
    public var temperature: Float
    /// Probability of each cluster for every play of the session.
    public var clusterProbabilities: [Float]
    /// The user's additive skip-logit bias.
    public var skipBias: Float
}
