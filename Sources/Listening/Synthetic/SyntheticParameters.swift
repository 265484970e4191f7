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
    public var daypartShift: Float = 1.1
    /// Weight of the device's target cluster centre in the session preference.
    public var deviceShift: Float = 1.1
    /// Expected norm of the per-session mood offset (Gaussian, in the span of the cluster centres).
    public var sessionNoise: Float = 1.5
    /// Correlation of the mood offset with the previous session's at a zero gap.
    public var moodCarryOver: Float = 0.9
    /// Gap between sessions, in seconds, after which the mood correlation has halved.
    public var moodHalfLife: Double = 7 * 86_400

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

    /// Skip logit intercept a in P(skip) = sigmoid(a + attention·(b·(1 − cos(track, preference)) + c·(1 − cos(track, taste))) + userBias).
    public var skipBase: Float = -3.6
    /// Skip logit slope b on the distance from the session preference.
    public var skipSlope: Float = 2
    /// Skip logit slope c on the distance from the long-term taste (base plus drift, without context or mood).
    ///
    /// It plants the CoSeRNN paper's observation that sessions far from a user's usual listening
    /// are skipped more; with c = 0 only the session preference, which already includes the
    /// context shifts and the mood, matters (see Docs/synthetic-data.md).
    public var skipTasteSlope: Float = 5
    /// Lowest session attention: the distance terms of the skip logit are scaled by an attention uniform in [floor, 1].
    ///
    /// Lean-back sessions (attention near 0) let almost everything play; attentive ones skip what
    /// is far from the preference and the taste. 1 means every session is fully attentive (no draw).
    public var skipAttentionFloor: Float = 0
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
