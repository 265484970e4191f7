import ArgumentParser
import Listening
import UserModels

/// The options `train` and `evaluate` share for the trained models: sizes, epochs and the optimiser.
struct TrainingBudgetOption: ParsableArguments {
    @Option(help: "Maximum epochs of every trained model (default: CoSeRNN 30, FS-VAE 10; early stopping usually ends sooner).") var epochs:
        Int?
    @Option(help: "Epochs without a better validation loss before a trained model stops (default: CoSeRNN 3, FS-VAE 2).") var patience: Int?
    @Option(help: "Smallest validation-loss decrease that counts as better (default: CoSeRNN 0.0001, FS-VAE any decrease).")
    var minimumImprovement: Float?
    @Option(help: "LSTM hidden size (default: CoSeRNN 400, FS-VAE 128).") var hidden: Int?
    @Option(
        help:
            "CoSeRNN and Vanilla RNN users per batch (default: the largest power of two up to users/50, from 8 to 256, so an epoch has about 50 steps)."
    ) var batchSize: Int?
    @Option(help: "CoSeRNN and Vanilla RNN Adam learning rate (twice the official code's 5e-4; Docs/cosernn.md says why).")
    var learningRate: Float = TrainingOptions.recommendedLearningRate

    @Option(help: "FS-VAE training examples sampled afresh each epoch (default: all of them).") var examplesPerEpoch: Int?
    @Option(help: "FS-VAE validation examples scored each epoch, a fixed sample (default: all of them).") var validationExamples: Int?
    @Option(help: "FS-VAE's Adam learning rate (default: 1e-3; the paper trains at 1e-5 for 100 epochs).") var fsvaeLearningRate: Float?
    @Option(help: "FS-VAE's weight β of the KL term (default: the paper's 0.5).") var beta: Float?
    @Option(help: "FS-VAE's fixed variance σ² of the Gaussian likelihood (default: Docs/fsvae.md's sweep).") var reconstructionVariance:
        Float?
    @Option(help: "FS-VAE's KL warm-up in optimiser steps (default: Docs/fsvae.md's sweep).") var klWarmupSteps: Int?
    @Flag(help: "Train FS-VAE without the recurrent state (each prediction encodes the last 5 plays from a zero state).")
    var windowed = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let patience, patience < 0 { throw ValidationError("--patience must not be negative") }
        if let minimumImprovement, !(minimumImprovement >= 0 && minimumImprovement.isFinite) {
            throw ValidationError("--minimum-improvement must be a number ≥ 0")
        }
        if let hidden, hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let examplesPerEpoch, examplesPerEpoch < 1 { throw ValidationError("--examples-per-epoch must be at least 1") }
        if let validationExamples, validationExamples < 1 { throw ValidationError("--validation-examples must be at least 1") }
        if let fsvaeLearningRate, !(fsvaeLearningRate > 0 && fsvaeLearningRate.isFinite) {
            throw ValidationError("--fsvae-learning-rate must be a positive number")
        }
        if let beta, !(beta >= 0 && beta.isFinite) { throw ValidationError("--beta must be a number ≥ 0") }
        if let reconstructionVariance, !(reconstructionVariance > 0 && reconstructionVariance.isFinite) {
            throw ValidationError("--reconstruction-variance must be a positive number")
        }
        if let klWarmupSteps, klWarmupSteps < 0 { throw ValidationError("--kl-warmup-steps must not be negative") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
    }

    /// CoSeRNN's config for a track space and the workspace's context vocabularies.
    func coSeRNNConfig(dimension: Int, vocabulary: Vocabulary, seed: UInt64 = 42) -> CoSeRNNConfig {
        CoSeRNNConfig(
            dimension: dimension, deviceCount: vocabulary.devices.count, sourceCount: vocabulary.sources.count,
            hiddenSize: hidden ?? 400, seed: seed)
    }

    /// The loop settings of CoSeRNN and the Vanilla RNN for `users` training users.
    func coSeRNNTraining(users: Int, seed: UInt64 = 42) -> TrainingOptions {
        var options = TrainingOptions(
            learningRate: learningRate, batchSize: batchSize ?? TrainingOptions.batchSize(forUsers: users), seed: seed)
        if let epochs { options.maxEpochs = epochs }
        if let patience { options.patience = patience }
        if let minimumImprovement { options.minimumImprovement = minimumImprovement }
        return options
    }

    /// FS-VAE's config with these epochs, patience and hidden size.
    func fsvaeConfig(seed: UInt64? = nil) -> FSVAEConfig {
        var config = windowed ? FSVAEConfig.paper.windowed() : FSVAEConfig.paper
        if let seed { config.seed = seed }
        if let epochs { config.epochs = epochs }
        if let patience { config.patience = patience }
        config.minimumImprovement = minimumImprovement
        if let hidden { config.sequentialHidden = hidden }
        config.examplesPerEpoch = examplesPerEpoch
        config.validationExamples = validationExamples
        if let fsvaeLearningRate { config.learningRate = fsvaeLearningRate }
        if let beta { config.beta = beta }
        if let reconstructionVariance { config.reconstructionVariance = reconstructionVariance }
        if let klWarmupSteps { config.klWarmupSteps = klWarmupSteps }
        return config
    }
}
