import Listening

/// A per-user aggregate of the history up to the prediction time (FS-VAE's "slow" features).
public enum SlowFeature: String, Sendable, Codable, CaseIterable {
    /// log(1 + plays so far).
    case totalPlays
    /// log(1 + skipped plays so far).
    case skips
    /// log(1 + distinct tracks played so far).
    case distinctTracks
    /// log(1 + sessions before the current one).
    case sessions
    /// log(1 + mean length of the sessions before the current one), 0 before the first.
    case meanSessionLength
    /// Share of the plays so far that were in sessions of the current daypart (0 with no plays or unknown hour).
    case daypartShare
    /// The user's general taste: the unit mean embedding of every play so far (D values; zeros before the first).
    case taste
    /// The user's taste in the current daypart: the unit mean embedding of the plays so far in
    /// sessions of this daypart (D values; zeros with none or an unknown hour).
    case daypartTaste

    /// The six scalar aggregates (FS-VAE's slow features before the taste vectors were added).
    public static let scalars: [SlowFeature] = [.totalPlays, .skips, .distinctTracks, .sessions, .meanSessionLength, .daypartShare]

    /// Whether the feature is a track-space vector rather than one number.
    public var isEmbedding: Bool { self == .taste || self == .daypartTaste }

    /// Values the feature adds to the slow input in a `dimension`-d track space.
    public func width(dimension: Int) -> Int { isEmbedding ? dimension : 1 }
}

/// A scalar added to each track of the fast window (besides its embedding).
public enum FastScalar: String, Sendable, Codable, CaseIterable {
    /// 1 if skipped, 0 if played, 0.5 if unknown.
    case skipped
    /// log(1 + minutes from the play's start to the next event: the next play of the window, or the prediction time).
    case logTimeGap
    /// sin(2π·h/24) of the local hour h of the next event (the next play of the window, or the prediction time); 0 when unknown.
    case hourSine
    /// cos(2π·h/24) of the same hour; 0 when unknown.
    case hourCosine

    /// The skip flag and time gap: the sequential features of the windowed model and the Vanilla RNN.
    public static let skipAndGap: [FastScalar] = [.skipped, .logTimeGap]
    /// The time of day of the next event as a point on the 24-hour circle: the paper's d_s = D + 2 with time of day.
    public static let timeOfDay: [FastScalar] = [.hourSine, .hourCosine]
}

/// How the two latents z^s and z^n become the user representation z_u = g(z^s, z^n) (Section 3.3).
public enum LatentCombination: String, Sendable, Codable, CaseIterable {
    /// A learned linear cell from [z^s, z^n] (2K values) to K values.
    case cell
    /// [z^s, z^n] as it is (2K values): g as "a linear concatenation function".
    case concatenation
}

/// Every setting of an FS-VAE (or of its ablations and the Vanilla RNN and Aggregate sequence baselines), stored with checkpoints.
///
/// Architecture defaults follow Fazelnia et al. (WSDM 2022): w = 5, K = 80 per encoder, β = 0.5,
/// two LSTM layers, two feed-forward layers for the slow encoder and the decoder. Hidden sizes,
/// dropout and the optimiser settings are not given in the paper; ours are documented in Docs/fsvae.md.
public struct FSVAEConfig: Sendable, Codable, Hashable {
    /// Name used in tables.
    public var name: String
    /// Number of past tracks in the fast window w; 0 removes the sequential encoder.
    public var window: Int
    /// Scalars appended to each window track's embedding.
    public var fastScalars: [FastScalar]
    /// Slow features fed to the feed-forward encoder; empty removes the slow encoder.
    public var slowFeatures: [SlowFeature]
    /// Randomly permutes the window's order (the "shuffled sequence" ablation).
    public var shuffleSequence: Bool
    /// The fast encoder averages the window's steps (one feed-forward layer on their masked mean)
    /// instead of running the LSTM: the learned "Aggregate sequence" baseline.
    public var aggregatesWindow: Bool {
        get { aggregatesWindowIfSet ?? false }
        set { aggregatesWindowIfSet = newValue ? true : nil }
    }
    /// How `aggregatesWindow` is stored: nil for false, so configs saved before the setting existed
    /// still decode and every other config encodes to the same JSON as before (training
    /// checkpoints compare that text).
    private var aggregatesWindowIfSet: Bool?
    /// Gaussian latents with a KL term; false gives the plain autoencoder ablation.
    public var probabilistic: Bool
    /// Hidden size of both LSTM layers (or of the aggregate's layer with `aggregatesWindow`).
    public var sequentialHidden: Int
    /// Number of LSTM layers.
    public var sequentialLayers: Int
    /// Hidden size of the slow encoder's two layers.
    public var slowHidden: Int
    /// Latent size K of each encoder.
    public var latent: Int
    /// Hidden size of the decoder's first layer.
    public var decoderHidden: Int
    /// Weight β of the KL term.
    public var beta: Float
    /// Steps over which the KL weight rises linearly from 0 to β (KL annealing, Bowman et al. 2016); 0 for none.
    public var klWarmupSteps: Int
    /// Variance σ² of the Gaussian reconstruction likelihood, or nil to learn it.
    ///
    /// nil (the paper's Eq. 2): the decoder outputs log σ²_x besides μ_x and the loss is
    /// ½Σ[(x − μ)²/σ² + log σ²] + β·KL. A number fixes σ²: the loss is ‖x − μ‖²/(2σ²) + β·KL, so
    /// the default 1e-4 scales the reconstruction by 5,000 and β = 0.5 acts as β ≈ 1e-4 against a
    /// unit-variance likelihood. It stays the default because with the learned σ² and β = 0.5 the
    /// posterior collapses on the acceptance data (Docs/fsvae.md).
    public var reconstructionVariance: Float?
    /// Dropout rate in training (between LSTM layers, after hidden layers).
    public var dropout: Float
    /// Adam learning rate.
    public var learningRate: Float
    /// Examples per mini-batch.
    public var batchSize: Int
    /// Maximum passes over the training examples.
    public var epochs: Int
    /// Epochs without a better validation cosine tolerated before stopping (`EarlyStopping`'s patience).
    public var patience: Int
    /// Smallest decrease of the validation cosine that counts as better (`EarlyStopping`'s minimum
    /// improvement), or nil for any decrease.
    public var minimumImprovement: Float?
    /// Global gradient-norm clip.
    public var maxGradientNorm: Float
    /// Seed of initialisation, shuffling, dropout and sampling.
    public var seed: UInt64
    /// Training examples drawn afresh from the shuffled set each epoch, or nil for all of them.
    ///
    /// On large logs an epoch over every example takes minutes; a sample per epoch lets early
    /// stopping look at the validation loss more often for the same number of steps.
    public var examplesPerEpoch: Int?
    /// Size of the recurrent state h_t carried along each user's whole timeline (Eqs. 4–5), or nil for
    /// the windowed model, which encodes each window from a zero state.
    ///
    /// With a state, the fast posterior reads the window and h_{t−1}, the two latents combine into
    /// z_u(t) (`combination`), a GRU cell updates h_t from the window summary and z_u(t), and the
    /// next-track mean is the sum of a fast decoder over [z^s, h_{t−1}] and a slow decoder over z^n (Eq. 2).
    public var recurrentHidden: Int?
    /// g of Section 3.3 for the recurrent model (nil: `.cell`).
    public var combination: LatentCombination?
    /// Steps of one truncated-backpropagation chunk for the recurrent model (nil: 16). A batch holds
    /// `batchSize / chunkLength` users (at least one) for one chunk each; the state carries over, detached.
    public var chunkLength: Int?
    /// Initial bias of the posterior log-variance heads (nil: −10, which starts training as an autoencoder).
    public var initialLogVariance: Float?
    /// Validation examples the per-epoch loss averages, a fixed sample drawn once from the seed, or nil for all of them.
    ///
    /// Early stopping compares epochs on the same examples, so a sample of tens of thousands
    /// ranks them as the whole set does, at a fraction of the cost: validating every one of the
    /// default workspace's 121,282 validation examples took longer than an epoch's 60,000 training steps.
    public var validationExamples: Int?

    /// JSON keys: the property names, with `aggregatesWindow` for its stored form.
    enum CodingKeys: String, CodingKey {
        case name, window, fastScalars, slowFeatures, shuffleSequence, probabilistic, sequentialHidden, sequentialLayers
        case slowHidden, latent, decoderHidden, beta, klWarmupSteps, reconstructionVariance, dropout, learningRate
        case batchSize, epochs, patience, minimumImprovement, maxGradientNorm, seed
        case aggregatesWindowIfSet = "aggregatesWindow"
        case examplesPerEpoch, validationExamples
        case recurrentHidden, combination, chunkLength, initialLogVariance
    }

    /// The paper's model with our defaults for what it leaves open.
    public init(
        name: String = "FS-VAE", window: Int = 5, fastScalars: [FastScalar] = FastScalar.skipAndGap,
        slowFeatures: [SlowFeature] = SlowFeature.allCases, shuffleSequence: Bool = false, aggregatesWindow: Bool = false,
        probabilistic: Bool = true,
        sequentialHidden: Int = 128, sequentialLayers: Int = 2, slowHidden: Int = 64, latent: Int = 80,
        decoderHidden: Int = 128, beta: Float = 0.5, klWarmupSteps: Int = 2_000, reconstructionVariance: Float? = 1e-4,
        dropout: Float = 0.1,
        learningRate: Float = 1e-3, batchSize: Int = 256, epochs: Int = 10, patience: Int = 2,
        maxGradientNorm: Float = 5, seed: UInt64 = 1
    ) {
        self.name = name
        self.window = window
        self.fastScalars = fastScalars
        self.slowFeatures = slowFeatures
        self.shuffleSequence = shuffleSequence
        aggregatesWindowIfSet = aggregatesWindow ? true : nil
        self.probabilistic = probabilistic
        self.sequentialHidden = sequentialHidden
        self.sequentialLayers = sequentialLayers
        self.slowHidden = slowHidden
        self.latent = latent
        self.decoderHidden = decoderHidden
        self.beta = beta
        self.klWarmupSteps = klWarmupSteps
        self.reconstructionVariance = reconstructionVariance
        self.dropout = dropout
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.patience = patience
        self.maxGradientNorm = maxGradientNorm
        self.seed = seed
    }

    /// Whether a recurrent state runs along each user's timeline.
    public var isRecurrent: Bool { recurrentHidden != nil }
    /// The TBPTT chunk length in steps.
    public var stepsPerChunk: Int { chunkLength ?? 16 }
    /// Users per recurrent batch: `batchSize / stepsPerChunk`, at least one.
    public var usersPerBatch: Int { max(1, batchSize / stepsPerChunk) }
    /// g of the recurrent model.
    public var latentCombination: LatentCombination { combination ?? .cell }
    /// Whether the sequential (fast) encoder exists.
    public var usesFastFeatures: Bool { window > 0 }
    /// Whether the slow encoder exists.
    public var usesSlowFeatures: Bool { !slowFeatures.isEmpty }
    /// Width of the slow input in a `dimension`-d track space (one per scalar, D per taste vector).
    public func slowWidth(dimension: Int) -> Int { slowFeatures.reduce(0) { $0 + $1.width(dimension: dimension) } }
    /// Features per window step for a track space of `dimension`.
    public func fastWidth(dimension: Int) -> Int { dimension + fastScalars.count }

    /// Throws a `ConfigurationError` naming the first setting that makes the model impossible to build or train.
    public func validate() throws {
        let require = ConfigurationCheck("FS-VAE config")
        try require(window >= 0, "window", "≥ 0", window)
        try require(usesFastFeatures || usesSlowFeatures, "window or slowFeatures", "non-empty (the model needs fast or slow features)", 0)
        try require(!aggregatesWindow || usesFastFeatures, "window", "≥ 1 when aggregatesWindow is on", window)
        if let examplesPerEpoch { try require(examplesPerEpoch >= 1, "examplesPerEpoch", "≥ 1", examplesPerEpoch) }
        if let validationExamples { try require(validationExamples >= 1, "validationExamples", "≥ 1", validationExamples) }
        for (field, size) in [
            ("sequentialHidden", sequentialHidden), ("sequentialLayers", sequentialLayers), ("slowHidden", slowHidden),
            ("latent", latent), ("decoderHidden", decoderHidden),
        ] {
            try require(size >= 1, field, "≥ 1", size)
        }
        if let reconstructionVariance {
            try require(
                reconstructionVariance > 0 && reconstructionVariance.isFinite, "reconstructionVariance", "a finite number > 0",
                reconstructionVariance)
        }
        try require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout)
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", "a finite number > 0", learningRate)
        try require(batchSize >= 1, "batchSize", "≥ 1", batchSize)
        try require(epochs >= 0, "epochs", "≥ 0", epochs)
        try require(patience >= 0, "patience", "≥ 0", patience)
        if let minimumImprovement {
            try require(
                minimumImprovement >= 0 && minimumImprovement.isFinite, "minimumImprovement", "a finite number ≥ 0", minimumImprovement)
        }
        try require(maxGradientNorm > 0, "maxGradientNorm", "> 0", maxGradientNorm)
        try require(beta >= 0 && beta.isFinite, "beta", "a finite number ≥ 0", beta)
        try require(klWarmupSteps >= 0, "klWarmupSteps", "≥ 0", klWarmupSteps)
        if let recurrentHidden {
            try require(recurrentHidden >= 1, "recurrentHidden", "≥ 1", recurrentHidden)
            try require(!aggregatesWindow, "aggregatesWindow", "off for the recurrent model", aggregatesWindow)
            try require(reconstructionVariance != nil, "reconstructionVariance", "a number for the recurrent model", "nil")
        }
        if let chunkLength { try require(chunkLength >= 1, "chunkLength", "≥ 1", chunkLength) }
        if let initialLogVariance {
            try require(
                initialLogVariance.isFinite && abs(initialLogVariance) <= 20, "initialLogVariance", "a finite number in [−20, 20]",
                initialLogVariance)
        }
    }
}

extension FSVAEConfig {
    /// The full model as the paper's Eqs. 2–5 define it: a recurrent state along each user's timeline,
    /// time of day in the fast input, two latents combined by a learned cell into K = 80, and two decoders.
    ///
    /// The likelihood variance, posterior initialisation and KL warm-up come from the sweep in Docs/fsvae.md.
    public static var paper: FSVAEConfig {
        var config = FSVAEConfig(
            fastScalars: FastScalar.timeOfDay, klWarmupSteps: paperKLWarmupSteps, reconstructionVariance: paperReconstructionVariance)
        config.recurrentHidden = 128
        config.combination = .cell
        config.initialLogVariance = paperInitialLogVariance
        return config
    }

    /// The Gaussian likelihood's variance of `paper`.
    static let paperReconstructionVariance: Float = 1e-4
    /// The posterior log-variance heads' initial bias of `paper`.
    static let paperInitialLogVariance: Float = -2
    /// The KL warm-up of `paper`.
    static let paperKLWarmupSteps = 500

    /// The model before the recurrent state (Table 2's "windowed" row): each prediction encodes the
    /// last w plays from a zero LSTM state, the latents are concatenated and one decoder reads them.
    public func windowed() -> FSVAEConfig {
        var c = self
        c.name = "FS-VAE, windowed (no recurrent state)"
        c.recurrentHidden = nil
        c.combination = nil
        c.chunkLength = nil
        return c
    }

    /// The recurrent model with g as concatenation instead of a learned cell.
    public func withConcatenatedLatents() -> FSVAEConfig {
        var c = self
        c.name = "FS-VAE, g = concatenation"
        c.combination = .concatenation
        return c
    }

    /// Table 2 ablation: no sequential encoder.
    public func withoutFastFeatures() -> FSVAEConfig {
        var c = self
        c.name = "FS-VAE, no fast features"
        c.window = 0
        return c
    }

    /// Table 2 ablation: the window's order is shuffled.
    public func withShuffledSequence() -> FSVAEConfig {
        var c = self
        c.name = "FS-VAE, shuffled sequence"
        c.shuffleSequence = true
        return c
    }

    /// Table 2 ablation: no slow encoder.
    public func withoutSlowFeatures() -> FSVAEConfig {
        var c = self
        c.name = "FS-VAE, no slow features"
        c.slowFeatures = []
        return c
    }

    /// Table 2 ablation: deterministic latents and no KL term (an autoencoder).
    public func nonProbabilistic() -> FSVAEConfig {
        var c = self
        c.name = "FS-VAE, non-probabilistic"
        c.probabilistic = false
        return c
    }

    /// Table 1 baseline: an LSTM over the last w tracks with the paper's sequential features (embedding,
    /// skip flag, time gap), and no slow features and no KL.
    public func vanillaRNN() -> FSVAEConfig {
        var c = self
        c.name = "Vanilla RNN"
        c.recurrentHidden = nil
        c.combination = nil
        c.chunkLength = nil
        c.fastScalars = FastScalar.skipAndGap
        c.slowFeatures = []
        c.probabilistic = false
        c.shuffleSequence = false
        c.aggregatesWindow = false
        if c.window == 0 { c.window = 5 }
        return c
    }

    /// Table 1 baseline: the masked mean of the last w tracks' features (embedding, skip flag, time gap)
    /// through one feed-forward layer in place of the LSTM, with the slow encoder, the same decoder and
    /// training, and no KL.
    public func aggregateSequence() -> FSVAEConfig {
        var c = self
        c.name = "Aggregate sequence"
        c.recurrentHidden = nil
        c.combination = nil
        c.chunkLength = nil
        c.aggregatesWindow = true
        c.probabilistic = false
        c.shuffleSequence = false
        if c.window == 0 { c.window = 5 }
        return c
    }

    /// The four Table 2 ablations of this config, in the paper's order, then for the recurrent model
    /// the windowed one (the model before the recurrent state).
    public var ablations: [FSVAEConfig] {
        [withoutFastFeatures(), withShuffledSequence(), withoutSlowFeatures(), nonProbabilistic()] + (isRecurrent ? [windowed()] : [])
    }
}

/// Errors of FS-VAE construction, training and checkpoints.
public enum FSVAEError: Error, CustomStringConvertible, Equatable {
    /// The data yields no training example.
    case noTrainingExamples
    /// A checkpoint lacks the config or was written by another model.
    case badCheckpoint(String)
    /// The track space has another dimension than the model.
    case dimensionMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .noTrainingExamples: "no training examples: every user needs at least two plays in their training sessions"
        case .badCheckpoint(let message): "not an FS-VAE checkpoint: \(message)"
        case .dimensionMismatch(let expected, let found):
            "the model predicts \(expected)-d vectors but the track space is \(found)-d"
        }
    }
}
