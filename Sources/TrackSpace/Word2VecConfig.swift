import Listening

/// Hyperparameters of word2vec skip-gram with negative sampling; the defaults are gensim's, at CoSeRNN's 40 dimensions.
public struct Word2VecConfig: Sendable, Hashable, Codable {
    /// Vector length (40 for CoSeRNN, 80 for FS-VAE).
    public var dimension: Int
    /// Maximum distance between a track and a context track within a session; each position draws 1...window.
    public var window: Int
    /// Negative samples per window, shared by its context tracks, drawn from the unigram^0.75 distribution.
    public var negatives: Int
    /// Passes over the sessions.
    public var epochs: Int
    /// Tracks with fewer plays get no vector and are dropped from the sentences.
    public var minCount: Int
    /// Subsampling threshold t: a track with frequency f is kept with probability (√(f/t) + 1)·t/f (gensim's formula).
    public var sample: Double
    /// Learning rate at the start; it decays linearly to `minLearningRate` over all epochs.
    public var learningRate: Float
    /// Learning rate at the end.
    public var minLearningRate: Float
    /// Training threads; one thread gives bit-identical results for a seed.
    public var threads: Int
    /// Seed of the initial vectors and of every thread's random stream.
    public var seed: UInt64

    /// Token updates a training run should reach: small logs get more epochs, so every track moves enough.
    public static let targetUpdates = 400_000

    /// Epochs for a corpus of `tokens` plays when none are given: enough passes for `targetUpdates`
    /// token updates, at least 5 (gensim's default, which larger logs keep) and at most 100.
    public static func epochs(forTokens tokens: Int) -> Int {
        guard tokens > 0 else { return 5 }
        return min(100, max(5, (targetUpdates + tokens - 1) / tokens))
    }

    /// A config; every parameter has a default.
    public init(
        dimension: Int = 40, window: Int = 5, negatives: Int = 5, epochs: Int = 5, minCount: Int = 5,
        sample: Double = 1e-3, learningRate: Float = 0.025, minLearningRate: Float = 0.0001,
        threads: Int = 2, seed: UInt64 = 1
    ) {
        self.dimension = dimension
        self.window = window
        self.negatives = negatives
        self.epochs = epochs
        self.minCount = minCount
        self.sample = sample
        self.learningRate = learningRate
        self.minLearningRate = minLearningRate
        self.threads = threads
        self.seed = seed
    }

    /// Throws a `ConfigurationError` naming the first parameter out of range.
    public func validate() throws {
        let require = ConfigurationCheck("word2vec config")
        try require(dimension >= 1, "dimension", "≥ 1", dimension)
        try require(window >= 1, "window", "≥ 1", window)
        try require(negatives >= 0, "negatives", "≥ 0", negatives)
        try require(epochs >= 1, "epochs", "≥ 1", epochs)
        try require(minCount >= 1, "minCount", "≥ 1", minCount)
        try require(sample >= 0 && sample.isFinite, "sample", "a finite number ≥ 0", sample)
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", "a finite number > 0", learningRate)
        try require(minLearningRate >= 0 && minLearningRate.isFinite, "minLearningRate", "a finite number ≥ 0", minLearningRate)
        try require(threads >= 1, "threads", "≥ 1", threads)
    }

    /// The config as string metadata for the embeddings file.
    var metadata: [String: String] {
        [
            "dimension": String(dimension), "window": String(window), "negatives": String(negatives),
            "epochs": String(epochs), "min_count": String(minCount), "sample": String(sample),
            "learning_rate": String(learningRate), "min_learning_rate": String(minLearningRate),
            "threads": String(threads), "seed": String(seed),
        ]
    }
}
