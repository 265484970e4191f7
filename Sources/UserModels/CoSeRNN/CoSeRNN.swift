import Foundation
import Listening
import Tensor

/// CoSeRNN (Hansen et al., RecSys 2020): contextual and sequential user embeddings.
///
/// At the start of each session t an LSTM over the user's sessions reads the current
/// context and the previous session (its all/played/skipped embeddings, length, source and
/// the time since it). A dense head turns its state into a short-term vector û_t; a
/// recency-weighted mean of past session embeddings is the long-term vector ū_t; a softmax
/// gate on the LSTM state mixes them: u_t = β̂·û_t + β̄·ū_t. Training minimises
/// 1 − cos(u_t, mean of the tracks played in session t).
///
/// Weights are updated in place by `train`; do not predict from another thread while training.
public final class CoSeRNN: Layer, UserModel {
    /// Short name used in tables.
    public let name: String
    /// The architecture.
    public let config: CoSeRNNConfig
    /// The track space the model reads sessions in and predicts into.
    public let tracks: TrackVectors
    let layout: CoSeRNNInputLayout
    let lstm: LSTM
    let dense: [Linear]
    let output: Linear
    let gate: Linear?
    let prefixCache = CoSeRNNPrefixCache()

    /// A freshly initialised model (weights from `config.seed`), or a `ConfigurationError` when a
    /// size is out of range or the config's dimension is not the track space's.
    public init(config: CoSeRNNConfig, tracks: TrackVectors, name: String = "CoSeRNN") throws {
        try config.validate()
        try ConfigurationError.require(
            tracks.dimension == config.dimension, "CoSeRNN config", field: "dimension",
            allowed: "the track space's dimension (\(tracks.dimension))", value: config.dimension)
        self.name = name
        self.config = config
        self.tracks = tracks
        layout = CoSeRNNInputLayout(config: config)
        var random = SeededRandom(seed: config.seed)
        lstm = LSTM(inputSize: layout.width, hiddenSize: config.hiddenSize, random: &random)
        var dense: [Linear] = []
        var width = config.hiddenSize
        for _ in 0..<config.denseLayers {
            dense.append(Linear(inputSize: width, outputSize: config.denseSize, initializer: .heUniform, random: &random))
            width = config.denseSize
        }
        self.dense = dense
        output = Linear(inputSize: width, outputSize: config.dimension, random: &random)
        gate = config.useLongTerm && config.useGate ? Linear(inputSize: config.hiddenSize, outputSize: 2, random: &random) : nil
    }

    /// Dimension of the predicted vectors.
    public var dimension: Int { config.dimension }

    /// The current session's context fields its input row encodes.
    public var contextFields: Set<ContextField> { layout.contextFields }

    /// `lstm.*` (PyTorch `nn.LSTM` names), `dense.i.*`, `output.*` and `gate.*`.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var all = lstm.namedParameters(prefix: "lstm")
        for (index, layer) in dense.enumerated() { all += layer.namedParameters(prefix: "dense.\(index)") }
        all += output.namedParameters(prefix: "output")
        if let gate { all += gate.namedParameters(prefix: "gate") }
        return all
    }

    /// The config as JSON (checkpoint metadata and run records).
    public var configJSON: String {
        (try? TrainingJSON.encode(config)) ?? "{}"
    }

    /// The unit user vectors u `[B, T, D]` and the LSTM's final states.
    ///
    /// `inputs` is `[B, T, I]`, `longTerm` `[B, T, D]` (ignored without the long-term part).
    func forward(
        _ inputs: Variable, longTerm: Tensor, mask: Tensor?, initialStates: [RecurrentState]? = nil
    ) -> (prediction: Variable, states: [RecurrentState]) {
        let (hidden, states) = lstm(inputs, mask: mask, initialStates: initialStates)
        return (head(hidden, longTerm: longTerm), states)
    }

    /// The user vectors u from LSTM outputs `[…, H]`: û from the dense head, mixed with ū by the gate.
    func head(_ hidden: Variable, longTerm: Tensor) -> Variable {
        let (shortTerm, weights) = headParts(hidden)
        guard config.useLongTerm else { return shortTerm.l2Normalized() }
        let long = hidden.tape.constant(longTerm)
        guard let weights else { return ((shortTerm + long) * 0.5).l2Normalized() }
        let last = hidden.shape.count - 1
        return (weights.slice(axis: last, 0..<1) * shortTerm + weights.slice(axis: last, 1..<2) * long).l2Normalized()
    }

    /// The unmixed parts of the head: û `[…, D]` and the gate's weights `[…, 2]` (β̂, β̄), nil without a learned gate.
    func headParts(_ hidden: Variable) -> (shortTerm: Variable, weights: Variable?) {
        var z = hidden
        for layer in dense { z = layer(z).relu() }
        if config.dropout > 0 { z = z.dropout(rate: config.dropout) }
        // The official code mixes û at whatever length the head gives it and normalises after, so
        // û can outweigh ū even where the gate favours ū; a unit û cannot (the old behaviour, an option).
        let raw = output(z)
        return (config.normalizeShortTerm ? raw.l2Normalized() : raw, gate.map { $0(hidden).softmax() })
    }
}
