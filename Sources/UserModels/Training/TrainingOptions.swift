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

    /// Creates options; every field has the official default.
    public init(
        learningRate: Float = 5e-4, batchSize: Int = 256, maxEpochs: Int = 30, patience: Int = 3,
        minimumImprovement: Float = 1e-4, maxGradientNorm: Float? = 5, seed: UInt64 = 42
    ) {
        precondition(batchSize > 0 && maxEpochs >= 0 && patience >= 0, "invalid training options")
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.patience = patience
        self.minimumImprovement = minimumImprovement
        self.maxGradientNorm = maxGradientNorm
        self.seed = seed
    }
}
