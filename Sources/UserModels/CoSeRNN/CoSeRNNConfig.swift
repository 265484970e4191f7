import Listening

/// The architecture of a CoSeRNN model: sizes, inputs and the ablation switches.
///
/// Defaults follow the paper and `spotify-research/cosernn`: a dense context layer and an LSTM
/// of 400 units run twice over sessions with shared weights (once reading the previous session's
/// all-track embedding, once its skipped-track one), two dense ReLU layers of 200, a short-term
/// offset û, a long-term vector ū (the mean of all previous sessions) and a learned softmax gate.
public struct CoSeRNNConfig: Sendable, Hashable, Codable {
    /// Dimension of the track space (and of the predicted user vectors).
    public var dimension: Int
    /// Size of the device vocabulary (one-hot width; unknown devices are all zeros).
    public var deviceCount: Int
    /// Size of the stream-source vocabulary (one-hot width of the previous session's source).
    public var sourceCount: Int
    /// LSTM units.
    public var hiddenSize: Int
    /// Units of each dense layer of the head.
    public var denseSize: Int
    /// Number of dense ReLU layers of the head.
    public var denseLayers: Int
    /// Dropout after the dense layers, in training only.
    public var dropout: Float
    /// Weight of a session one step older in the long-term vector ū (the latest has weight 1).
    ///
    /// 1, the default, makes ū the plain mean of all previous sessions: the user's
    /// context-independent average taste (the official code precomputes it over the training
    /// period; see Docs/cosernn.md). Below 1 it is a recency-weighted mean (an ablation).
    public var longTermDecay: Float
    /// How the hour of day enters the context.
    public var hourEncoding: HourEncoding
    /// Feed the current session's context (day, hour, device).
    public var useContext: Bool
    /// Feed the current session's stream source with the context: it is known when the session
    /// starts (the official code's `top_context_future`, which its default `inputs_chosen` leaves out).
    public var useCurrentSource: Bool
    /// Feed the previous session's embeddings.
    public var usePreviousSession: Bool
    /// Feed the previous session's length, source and the time since it.
    public var usePreviousSessionDetails: Bool
    /// Which embeddings of the previous session are fed.
    public var previousTracks: PreviousTracks
    /// Run the LSTM once per embedding of `previousTracks`, with shared weights, and concatenate the
    /// outputs (the official code's `session_rep`); off, one pass reads them side by side in one row.
    public var sharedWeightPasses: Bool
    /// Map each input row through a dense linear layer of the LSTM's width before the LSTM (the
    /// official code's `_embed_context`).
    public var contextLayer: Bool
    /// Feed the skipped-track embedding besides the all-track one (`previousTracks` is `.allAndSkipped`
    /// or `.allPlayedAndSkipped`); switching it on gives `.allAndSkipped`, off `.all`.
    public var useSkipSplit: Bool {
        get { previousTracks == .allAndSkipped || previousTracks == .allPlayedAndSkipped }
        set {
            guard newValue != useSkipSplit else { return }
            previousTracks = newValue ? .allAndSkipped : .all
        }
    }
    /// Mix in the long-term vector ū.
    public var useLongTerm: Bool
    /// Learn the mixing gate; without it û and ū get 0.5 each.
    public var useGate: Bool
    /// L2-normalise û before mixing (off: the official code's free-length offset, normalised after mixing).
    public var normalizeShortTerm: Bool
    /// Seed of the weight initialisation.
    public var seed: UInt64

    /// The previous session's track embeddings in the input (the paper's input variants).
    public enum PreviousTracks: String, Sendable, Hashable, Codable, CaseIterable {
        /// All tracks only.
        case all
        /// Played tracks only.
        case played
        /// Played and skipped tracks, separately.
        case playedAndSkipped = "played-and-skipped"
        /// All and skipped tracks (the default: the official `session_rep = '0,1'`).
        case allAndSkipped = "all-and-skipped"
        /// All, played and skipped tracks.
        case allPlayedAndSkipped = "all-played-and-skipped"

        /// How many D-wide embeddings the block holds.
        var blockCount: Int {
            switch self {
            case .all, .played: 1
            case .playedAndSkipped, .allAndSkipped: 2
            case .allPlayedAndSkipped: 3
            }
        }
    }

    /// The hour-of-day encoding.
    public enum HourEncoding: String, Sendable, Hashable, Codable {
        /// One-hot of 24 hours (the official code).
        case hour
        /// One-hot of the five dayparts.
        case daypart
    }

    /// A config with the official defaults for a track space and context vocabularies; `CoSeRNN.init` validates it.
    public init(
        dimension: Int, deviceCount: Int, sourceCount: Int, hiddenSize: Int = 400, denseSize: Int = 200,
        denseLayers: Int = 2, dropout: Float = 0, longTermDecay: Float = 1, hourEncoding: HourEncoding = .hour,
        useContext: Bool = true, useCurrentSource: Bool = false, usePreviousSession: Bool = true, usePreviousSessionDetails: Bool = true,
        previousTracks: PreviousTracks = .allAndSkipped, sharedWeightPasses: Bool = true, contextLayer: Bool = true,
        useLongTerm: Bool = true, useGate: Bool = true, normalizeShortTerm: Bool = false,
        seed: UInt64 = 42
    ) {
        self.dimension = dimension
        self.deviceCount = deviceCount
        self.sourceCount = sourceCount
        self.hiddenSize = hiddenSize
        self.denseSize = denseSize
        self.denseLayers = denseLayers
        self.dropout = dropout
        self.longTermDecay = longTermDecay
        self.hourEncoding = hourEncoding
        self.useContext = useContext
        self.useCurrentSource = useCurrentSource
        self.usePreviousSession = usePreviousSession
        self.usePreviousSessionDetails = usePreviousSessionDetails
        self.previousTracks = previousTracks
        self.sharedWeightPasses = sharedWeightPasses
        self.contextLayer = contextLayer
        self.useLongTerm = useLongTerm
        self.useGate = useGate
        self.normalizeShortTerm = normalizeShortTerm
        self.seed = seed
    }

    /// Throws a `ConfigurationError` naming the first setting out of range.
    public func validate() throws {
        let subject = "CoSeRNN config"
        try ConfigurationError.require(dimension >= 1, subject, field: "dimension", allowed: "≥ 1", value: dimension)
        try ConfigurationError.require(hiddenSize >= 1, subject, field: "hiddenSize", allowed: "≥ 1", value: hiddenSize)
        try ConfigurationError.require(denseSize >= 1, subject, field: "denseSize", allowed: "≥ 1", value: denseSize)
        try ConfigurationError.require(denseLayers >= 0, subject, field: "denseLayers", allowed: "≥ 0", value: denseLayers)
        try ConfigurationError.require(deviceCount >= 0, subject, field: "deviceCount", allowed: "≥ 0", value: deviceCount)
        try ConfigurationError.require(sourceCount >= 0, subject, field: "sourceCount", allowed: "≥ 0", value: sourceCount)
        try ConfigurationError.require(dropout >= 0 && dropout < 1, subject, field: "dropout", allowed: "in [0, 1)", value: dropout)
        try ConfigurationError.require(
            longTermDecay > 0 && longTermDecay <= 1, subject, field: "longTermDecay", allowed: "in (0, 1]", value: longTermDecay)
    }

    private enum CodingKeys: String, CodingKey {
        case dimension, deviceCount, sourceCount, hiddenSize, denseSize, denseLayers, dropout, longTermDecay, hourEncoding
        case useContext, useCurrentSource, usePreviousSession, usePreviousSessionDetails, useSkipSplit, previousTracks, useLongTerm, useGate
        case sharedWeightPasses, contextLayer, normalizeShortTerm, seed
    }

    /// Decodes a config; files written before a switch existed keep the behaviour they were trained with
    /// (a unit û, no current-session source, the skip split as a flag, one pass and no context layer).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            dimension: try c.decode(Int.self, forKey: .dimension), deviceCount: try c.decode(Int.self, forKey: .deviceCount),
            sourceCount: try c.decode(Int.self, forKey: .sourceCount), hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
            denseSize: try c.decode(Int.self, forKey: .denseSize), denseLayers: try c.decode(Int.self, forKey: .denseLayers),
            dropout: try c.decode(Float.self, forKey: .dropout), longTermDecay: try c.decode(Float.self, forKey: .longTermDecay),
            hourEncoding: try c.decode(HourEncoding.self, forKey: .hourEncoding), useContext: try c.decode(Bool.self, forKey: .useContext),
            useCurrentSource: try c.decodeIfPresent(Bool.self, forKey: .useCurrentSource) ?? false,
            usePreviousSession: try c.decode(Bool.self, forKey: .usePreviousSession),
            usePreviousSessionDetails: try c.decode(Bool.self, forKey: .usePreviousSessionDetails),
            previousTracks: try c.decodeIfPresent(PreviousTracks.self, forKey: .previousTracks)
                ?? (try c.decode(Bool.self, forKey: .useSkipSplit) ? .allPlayedAndSkipped : .all),
            sharedWeightPasses: try c.decodeIfPresent(Bool.self, forKey: .sharedWeightPasses) ?? false,
            contextLayer: try c.decodeIfPresent(Bool.self, forKey: .contextLayer) ?? false,
            useLongTerm: try c.decode(Bool.self, forKey: .useLongTerm),
            useGate: try c.decode(Bool.self, forKey: .useGate),
            normalizeShortTerm: try c.decodeIfPresent(Bool.self, forKey: .normalizeShortTerm) ?? true,
            seed: try c.decode(UInt64.self, forKey: .seed))
    }

    /// Encodes every stored field (the skip split as `previousTracks`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(deviceCount, forKey: .deviceCount)
        try c.encode(sourceCount, forKey: .sourceCount)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(denseSize, forKey: .denseSize)
        try c.encode(denseLayers, forKey: .denseLayers)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(longTermDecay, forKey: .longTermDecay)
        try c.encode(hourEncoding, forKey: .hourEncoding)
        try c.encode(useContext, forKey: .useContext)
        try c.encode(useCurrentSource, forKey: .useCurrentSource)
        try c.encode(usePreviousSession, forKey: .usePreviousSession)
        try c.encode(usePreviousSessionDetails, forKey: .usePreviousSessionDetails)
        try c.encode(useSkipSplit, forKey: .useSkipSplit)
        try c.encode(previousTracks, forKey: .previousTracks)
        try c.encode(sharedWeightPasses, forKey: .sharedWeightPasses)
        try c.encode(contextLayer, forKey: .contextLayer)
        try c.encode(useLongTerm, forKey: .useLongTerm)
        try c.encode(useGate, forKey: .useGate)
        try c.encode(normalizeShortTerm, forKey: .normalizeShortTerm)
        try c.encode(seed, forKey: .seed)
    }

    /// The config with one part of the model switched off.
    public func ablated(_ ablation: CoSeRNNAblation) -> CoSeRNNConfig {
        var copy = self
        switch ablation {
        case .noContext:
            copy.useContext = false
            copy.useCurrentSource = false
        case .noCurrentSource: copy.useCurrentSource = false
        case .playedOnly: copy.previousTracks = .played
        case .playedAndSkipped: copy.previousTracks = .playedAndSkipped
        case .recencyLongTerm: copy.longTermDecay = 0.9
        case .noPreviousSession:
            copy.usePreviousSession = false
            copy.usePreviousSessionDetails = false
        case .noSkipSplit: copy.useSkipSplit = false
        case .noLongTerm: copy.useLongTerm = false
        case .noGate: copy.useGate = false
        case .onePassConcatenated:
            copy.sharedWeightPasses = false
            copy.previousTracks = .allPlayedAndSkipped
        case .noContextLayer: copy.contextLayer = false
        case .withCurrentSource: copy.useCurrentSource = copy.useContext
        case .earlierDefault:
            copy = copy.ablated(.onePassConcatenated).ablated(.noContextLayer).ablated(.withCurrentSource)
        }
        return copy
    }

    /// The Vanilla RNN baseline: an LSTM over previous session embeddings only, no context, no ū, no gate.
    public func vanillaRNN() -> CoSeRNNConfig {
        var copy = self
        copy.useContext = false
        copy.useCurrentSource = false
        copy.usePreviousSession = true
        copy.usePreviousSessionDetails = false
        copy.useSkipSplit = false
        copy.sharedWeightPasses = false
        copy.contextLayer = false
        copy.useLongTerm = false
        copy.useGate = false
        return copy
    }
}

/// The paper's ablations: each removes one part of CoSeRNN.
public enum CoSeRNNAblation: String, Sendable, Hashable, Codable, CaseIterable {
    /// No current-session context input (day, hour, device, source).
    case noContext = "no-context"
    /// No current-session source input.
    case noCurrentSource = "no-current-source"
    /// No previous-session input (embeddings, length, source, gap).
    case noPreviousSession = "no-previous-session"
    /// All-track embeddings only, no played/skipped split.
    case noSkipSplit = "no-skip-split"
    /// Played-track embeddings only.
    case playedOnly = "played-only"
    /// Played and skipped embeddings, without the all-track one.
    case playedAndSkipped = "played-and-skipped"
    /// A recency-weighted ū (decay 0.9) instead of the mean of all previous sessions.
    case recencyLongTerm = "recency-weighted-long-term"
    /// No long-term vector ū.
    case noLongTerm = "no-long-term"
    /// A fixed 0.5/0.5 mix instead of the learned gate.
    case noGate = "no-gate"
    /// One LSTM pass over the all, played and skipped embeddings side by side, not shared-weight passes.
    case onePassConcatenated = "one-pass-concatenated"
    /// No dense context layer before the LSTM.
    case noContextLayer = "no-context-layer"
    /// The current session's source as an input besides its context.
    case withCurrentSource = "with-current-source"
    /// Setlist's default before it followed the official architecture: one pass, no context layer, current source on.
    case earlierDefault = "earlier-default"
}
