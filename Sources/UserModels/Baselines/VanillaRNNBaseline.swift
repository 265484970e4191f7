import Foundation
import Listening

/// An LSTM over the user's previous session embeddings alone: no context, no long-term vector, no gate.
///
/// The CoSeRNN papers' "Vanilla RNN" baseline. It is CoSeRNN with those parts switched off
/// (`CoSeRNNConfig.vanillaRNN()`), trained the same way on the same loss.
public struct VanillaRNNBaseline: UserModel {
    /// The underlying network.
    public let network: CoSeRNN
    /// "Vanilla RNN" (the network's name).
    public var name: String { network.name }
    /// Dimension of the predicted vectors.
    public var dimension: Int { network.dimension }
    /// The network's (none with the vanilla inputs).
    public var contextFields: Set<ContextField> { network.contextFields }

    /// A fresh model with `config`'s sizes and seed and the vanilla inputs (throws as `CoSeRNN.init`).
    public init(config: CoSeRNNConfig, tracks: TrackVectors) throws {
        network = try CoSeRNN(config: config.vanillaRNN(), tracks: tracks, name: "Vanilla RNN")
    }

    /// Wraps a trained or loaded network.
    public init(network: CoSeRNN) { self.network = network }

    /// Trains like `CoSeRNN.train`.
    @discardableResult
    public func train(
        users: [[Session]], split: TimeSplit = TimeSplit(), options: TrainingOptions = TrainingOptions(),
        checkpoint: URL? = nil, resume: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        try network.train(users: users, split: split, options: options, checkpoint: checkpoint, resume: resume, progress: progress)
    }

    /// The network's prediction for a session after `history`.
    public func predict(history: ArraySlice<Session>, context: SessionContext, time: Int64) -> [Float] {
        network.predict(history: history, context: context, time: time)
    }

    /// Predictions for every session of one user in one LSTM pass.
    public func predictAll(sessions: [Session]) -> [[Float]] { network.predictAll(sessions: sessions) }
}
