import Listening

/// The validation loss of each epoch of a training run, as its run record stores it.
public struct ValidationCurve: Sendable, Equatable, Encodable {
    /// The run's model name (`cosernn`, `fsvae`, `vanilla-rnn`).
    public var model: String
    /// Validation loss per epoch (CoSeRNN's cosine loss, FS-VAE's cosine distance); nil where none was measured.
    public var losses: [Float?]
    /// The epoch whose weights were kept (1-based).
    public var bestEpoch: Int
    /// Validation examples each loss averages, where the run recorded it (FS-VAE's fixed sample or all).
    public var examples: Int? = nil
    /// What FS-VAE's posterior did at the kept epoch, where the run measured it.
    public var posterior: PosteriorActivity? = nil

    /// The kept epoch's loss, if measured.
    public var bestLoss: Float? { losses.indices.contains(bestEpoch - 1) ? losses[bestEpoch - 1] : nil }
}

extension RunRecord {
    /// The per-epoch validation losses of a `train` record, or nil for other records and unreadable metrics.
    public var validationCurve: ValidationCurve? {
        guard kind == "train" else { return nil }
        if let result = try? TrainingJSON.decode(TrainingResult.self, from: metrics) {
            return ValidationCurve(
                model: model, losses: result.state.history.map { $0.validationLoss.isNaN ? nil : $0.validationLoss },
                bestEpoch: result.bestEpoch)
        }
        if let report = try? TrainingJSON.decode(FSVAETrainingReport.self, from: metrics) {
            return ValidationCurve(
                model: model, losses: report.epochs.map(\.validationCosineDistance), bestEpoch: report.bestEpoch,
                examples: report.validationExamples, posterior: report.epochs.first { $0.epoch == report.bestEpoch }?.posterior)
        }
        return nil
    }
}
