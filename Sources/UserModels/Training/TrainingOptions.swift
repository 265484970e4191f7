import Listening

/// Optimiser and schedule settings shared by the neural user models (CoSeRNN, FS-VAE, Vanilla RNN).
///
/// Defaults are CoSeRNN's official ones: Adam with learning rate 5e-4 and 256 users a batch.
public struct TrainingOptions: Sendable, Hashable, Codable {
    /// Adam step size.
    public var learningRate: Float
    /// Users per mini-batch.
    public var batchSize: Int
    /// Upper bound on epochs; early stopping usually ends sooner.
    public var maxEpochs: Int
    /// Epochs without a validation improvement before stopping.
    public var patience: Int
    /// Smallest decrease of the validation loss that counts as an improvement.
    public var minimumImprovement: Float
    /// Global gradient-norm clipping (nil for none).
    public var maxGradientNorm: Float?
    /// Seed of the batch order and dropout; weights are seeded by the model's own seed.
    public var seed: UInt64
    /// Longest run of sessions a recurrent user model trains on at once; longer histories are cut
    /// into windows of this many scored sessions (truncated backpropagation through time).
    public var maxSequenceLength: Int
    /// Sessions before each later window that only warm up the recurrent state (not in the loss).
    public var warmUpLength: Int

    /// Creates options; every field has the official default. Trainers call `validate()`.
    public init(
        learningRate: Float = 5e-4, batchSize: Int = 256, maxEpochs: Int = 30, patience: Int = 3,
        minimumImprovement: Float = 1e-4, maxGradientNorm: Float? = 5, seed: UInt64 = 42,
        maxSequenceLength: Int = 200, warmUpLength: Int = 50
    ) {
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.patience = patience
        self.minimumImprovement = minimumImprovement
        self.maxGradientNorm = maxGradientNorm
        self.seed = seed
        self.maxSequenceLength = maxSequenceLength
        self.warmUpLength = warmUpLength
    }

    /// Throws a `ConfigurationError` naming the first setting out of range.
    ///
    /// Checked where training starts rather than in `init`, because callers set fields after creating the options.
    public func validate() throws {
        let subject = "training options"
        try ConfigurationError.require(
            learningRate > 0 && learningRate.isFinite, subject, field: "learningRate", allowed: "a finite number > 0", value: learningRate)
        try ConfigurationError.require(batchSize >= 1, subject, field: "batchSize", allowed: "≥ 1", value: batchSize)
        try ConfigurationError.require(maxEpochs >= 0, subject, field: "maxEpochs", allowed: "≥ 0", value: maxEpochs)
        try ConfigurationError.require(patience >= 0, subject, field: "patience", allowed: "≥ 0", value: patience)
        try ConfigurationError.require(
            minimumImprovement >= 0 && minimumImprovement.isFinite, subject, field: "minimumImprovement", allowed: "a finite number ≥ 0",
            value: minimumImprovement)
        if let maxGradientNorm {
            try ConfigurationError.require(
                maxGradientNorm > 0, subject, field: "maxGradientNorm", allowed: "> 0 (or nil for no clipping)", value: maxGradientNorm)
        }
        try ConfigurationError.require(
            maxSequenceLength >= 1, subject, field: "maxSequenceLength", allowed: "≥ 1", value: maxSequenceLength)
        try ConfigurationError.require(warmUpLength >= 0, subject, field: "warmUpLength", allowed: "≥ 0", value: warmUpLength)
    }

    /// The batch size for `users` training users: the largest power of two up to users/50, between
    /// 8 and the official 256, so that an epoch has about 50 optimiser steps or more.
    ///
    /// With 256 users a batch, a log of 224 users would give one Adam step an epoch, and the
    /// 2,000-user default workspace eight (Docs/cosernn.md measures what that costs).
    public static func batchSize(forUsers users: Int) -> Int {
        var size = 8
        while size < 256 && size * 2 * 50 <= users { size *= 2 }
        return size
    }

    /// The learning rate `setlist train` and `evaluate` use for CoSeRNN and the Vanilla RNN: 1e-3.
    ///
    /// Twice the official 5e-4. Chosen on the validation loss of the default workspace, where
    /// 5e-4 was still improving after 10 epochs; 3e-3 left the Vanilla RNN stuck on Last.fm
    /// (Docs/cosernn.md).
    public static let recommendedLearningRate: Float = 1e-3

    private enum CodingKeys: String, CodingKey {
        case learningRate, batchSize, maxEpochs, patience, minimumImprovement, maxGradientNorm, seed
        case maxSequenceLength, warmUpLength
    }

    /// Decodes options, giving the window settings their defaults when a record predates them.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrainingOptions()
        self.init(
            learningRate: try c.decode(Float.self, forKey: .learningRate), batchSize: try c.decode(Int.self, forKey: .batchSize),
            maxEpochs: try c.decode(Int.self, forKey: .maxEpochs), patience: try c.decode(Int.self, forKey: .patience),
            minimumImprovement: try c.decode(Float.self, forKey: .minimumImprovement),
            maxGradientNorm: try c.decodeIfPresent(Float.self, forKey: .maxGradientNorm), seed: try c.decode(UInt64.self, forKey: .seed),
            maxSequenceLength: try c.decodeIfPresent(Int.self, forKey: .maxSequenceLength) ?? defaults.maxSequenceLength,
            warmUpLength: try c.decodeIfPresent(Int.self, forKey: .warmUpLength) ?? defaults.warmUpLength)
        do {
            try validate()
        } catch let error as ConfigurationError {
            throw DecodingError.dataCorruptedError(forKey: .batchSize, in: c, debugDescription: error.description)
        }
    }
}
