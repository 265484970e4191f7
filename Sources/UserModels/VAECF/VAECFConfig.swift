import Listening

/// Every setting of a VAE-CF (Mult-VAE) model, stored with checkpoints.
///
/// Architecture defaults are the paper's (Liang et al., WWW 2018): I → 600 → 200 encoder and
/// 200 → 600 → I decoder with tanh, dropout 0.5 on the normalised input, KL annealed linearly to
/// β = 0.2. The optimiser settings come from the shared `TrainingOptions`, not from here.
public struct VAECFConfig: Sendable, Codable, Hashable {
    /// Name used in tables.
    public var name: String
    /// Width of the encoder's and the decoder's hidden layer (the paper's 600).
    public var hidden: Int
    /// Latent size K (the paper's 200).
    public var latent: Int
    /// Dropout rate on the L2-normalised input bag (the paper's 0.5).
    public var dropout: Float
    /// The KL weight β reached at the end of the annealing (the paper's anneal cap 0.2).
    public var betaMax: Float
    /// Optimiser steps over which β grows linearly from 0 to `betaMax`, then stays (0: β_max at once).
    public var annealingSteps: Int
    /// The catalogue's largest size: the most-played training tracks are kept (memory and time grow with it).
    public var maxCatalogue: Int
    /// Seed of the weight initialisation.
    public var seed: UInt64

    /// Creates a config; every field has its default.
    public init(
        name: String = "VAE-CF", hidden: Int = 600, latent: Int = 200, dropout: Float = 0.5, betaMax: Float = 0.2,
        annealingSteps: Int = 2_000, maxCatalogue: Int = 20_000, seed: UInt64 = 1
    ) {
        self.name = name
        self.hidden = hidden
        self.latent = latent
        self.dropout = dropout
        self.betaMax = betaMax
        self.annealingSteps = annealingSteps
        self.maxCatalogue = maxCatalogue
        self.seed = seed
    }

    /// The paper's architecture with this project's catalogue cap and annealing length.
    public static var paper: VAECFConfig { VAECFConfig() }

    /// The KL weight after `step` optimiser steps: β_max · min(1, step / annealingSteps).
    public func beta(step: Int) -> Float {
        annealingSteps == 0 ? betaMax : betaMax * min(1, Float(step) / Float(annealingSteps))
    }

    /// Throws a `ConfigurationError` naming the first setting out of range.
    public func validate() throws {
        let require = ConfigurationCheck("VAE-CF config")
        try require(hidden >= 1, "hidden", "≥ 1", hidden)
        try require(latent >= 1, "latent", "≥ 1", latent)
        try require(dropout >= 0 && dropout < 1, "dropout", "in [0, 1)", dropout)
        try require(betaMax >= 0 && betaMax.isFinite, "betaMax", "a finite number ≥ 0", betaMax)
        try require(annealingSteps >= 0, "annealingSteps", "≥ 0", annealingSteps)
        try require(maxCatalogue >= 1, "maxCatalogue", "≥ 1", maxCatalogue)
    }
}

/// Errors of VAE-CF construction, training and checkpoints.
public enum VAECFError: Error, CustomStringConvertible, Equatable {
    /// The catalogue is unusable (empty, or ids outside the track table).
    case invalidCatalogue(String)
    /// No user has a training play in the catalogue.
    case noTrainingData
    /// A checkpoint lacks metadata or was written by another model.
    case badCheckpoint(String)
    /// The model's catalogue indexes another track table than the one it is bound to.
    case trackCountMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .invalidCatalogue(let message): "invalid VAE-CF catalogue: \(message)"
        case .noTrainingData: "no training data: no user has a training play of a catalogue track"
        case .badCheckpoint(let message): "not a VAE-CF checkpoint: \(message)"
        case .trackCountMismatch(let expected, let found):
            "the model's catalogue indexes \(expected) tracks but the track space has \(found)"
        }
    }
}
