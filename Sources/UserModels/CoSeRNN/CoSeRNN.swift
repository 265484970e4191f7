import Foundation
import Listening
import Tensor

/// CoSeRNN (Hansen et al., RecSys 2020): contextual and sequential user embeddings.
///
/// At the start of each session t an LSTM over the user's sessions reads the current
/// context and the previous session (its length, source, the time since it and one of its
/// embeddings), through a dense context layer. As in the official code it runs twice with shared
/// weights, over the all-track and the skipped-track embeddings, and the outputs are concatenated.
/// A dense head turns them into a short-term vector û_t; the mean of past session embeddings is
/// the long-term vector ū_t; a softmax gate on the LSTM outputs mixes them: u_t = β̂·û_t + β̄·ū_t.
/// Training minimises 1 − cos(u_t, mean of the tracks played in session t).
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
    /// The dense linear layer each pass's input row goes through before the LSTM, if any.
    let contextLayer: Linear?
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
        // Created first only when present, so configs without it draw the weights they always drew.
        contextLayer =
            config.contextLayer
            ? Linear(inputSize: layout.passWidth, outputSize: config.hiddenSize, random: &random) : nil
        lstm = LSTM(inputSize: contextLayer?.outputSize ?? layout.passWidth, hiddenSize: config.hiddenSize, random: &random)
        var dense: [Linear] = []
        let recurrentWidth = layout.passes * config.hiddenSize
        var width = recurrentWidth
        for _ in 0..<config.denseLayers {
            dense.append(Linear(inputSize: width, outputSize: config.denseSize, initializer: .heUniform, random: &random))
            width = config.denseSize
        }
        self.dense = dense
        output = Linear(inputSize: width, outputSize: config.dimension, random: &random)
        gate = config.useLongTerm && config.useGate ? Linear(inputSize: recurrentWidth, outputSize: 2, random: &random) : nil
    }

    /// Dimension of the predicted vectors.
    public var dimension: Int { config.dimension }

    /// The current session's context fields its input row encodes.
    public var contextFields: Set<ContextField> { layout.contextFields }

    /// `context.*`, `lstm.*` (PyTorch `nn.LSTM` names), `dense.i.*`, `output.*` and `gate.*`.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var all = contextLayer?.namedParameters(prefix: "context") ?? []
        all += lstm.namedParameters(prefix: "lstm")
        for (index, layer) in dense.enumerated() { all += layer.namedParameters(prefix: "dense.\(index)") }
        all += output.namedParameters(prefix: "output")
        if let gate { all += gate.namedParameters(prefix: "gate") }
        return all
    }

    /// The config as JSON (checkpoint metadata and run records).
    public var configJSON: String {
        (try? TrainingJSON.encode(config)) ?? "{}"
    }

    /// The LSTM's input weight `[4H, I']` and bias `[4H]`, with the context layer composed into them.
    ///
    /// The context layer is linear, so W_ih(W_c x + b_c) + b_ih = (W_ih W_c) x + (W_ih b_c + b_ih): the same
    /// function and gradients, but the per-step product reads the narrow rows, not the LSTM-wide ones.
    func inputProjection(tape: Tape) -> (weight: Variable, bias: Variable) {
        let cell = lstm.layers[0]
        let weightIH = tape.parameter(cell.weightIH), biasIH = tape.parameter(cell.biasIH)
        guard let contextLayer else { return (weightIH, biasIH) }
        let weight = weightIH.matmul(tape.parameter(contextLayer.weight))
        guard let contextBias = contextLayer.bias else { return (weight, biasIH) }
        let h = config.hiddenSize
        let bias = tape.parameter(contextBias).reshaped([1, h]).linear(weight: weightIH, bias: biasIH).reshaped([4 * h])
        return (weight, bias)
    }

    /// The unit user vectors u `[B, T, D]` and the LSTM's final states.
    ///
    /// `inputs` is `[B, T, I]`, `longTerm` `[B, T, D]` (ignored without the long-term part).
    func forward(
        _ inputs: Variable, longTerm: Tensor, mask: Tensor?, initialStates: [RecurrentState]? = nil
    ) -> (prediction: Variable, states: [RecurrentState]) {
        let (hidden, states) = recurrent(inputs, mask: mask, initialStates: initialStates)
        return (head(hidden, longTerm: longTerm), states)
    }

    /// The LSTM outputs `[B, T, P·H]` for input rows `[B, T, P·I']` of P passes, and the final states `[P·B, H]`.
    ///
    /// The passes share the context layer and the LSTM; they run as one batch of P·B sequences (pass-major),
    /// and each sequence's outputs are the passes' outputs side by side.
    func recurrent(
        _ inputs: Variable, mask: Tensor?, initialStates: [RecurrentState]? = nil
    ) -> (hidden: Variable, states: [RecurrentState]) {
        let passes = layout.passes, width = layout.passWidth, batch = inputs.shape[0]
        let x =
            passes == 1
            ? inputs : Variable.concatenate((0..<passes).map { inputs.slice(axis: 2, ($0 * width)..<(($0 + 1) * width)) }, axis: 0)
        let stackedMask = mask.map { m in
            passes == 1
                ? m
                : Tensor(shape: [passes * m.shape[0]] + m.shape.dropFirst(), scalars: Array((0..<passes).map { _ in m.scalars }.joined()))
        }
        let cell = lstm.layers[0], tape = inputs.tape
        let result: RecurrentOutput
        if let contextLayer, x.shape[0] * x.shape[1] <= layout.passWidth {
            // A few rows (a prediction step): mapping them costs less than composing the weights.
            result = cell(contextLayer(x), mask: stackedMask, initialState: initialStates?.first)
        } else {
            let (weight, bias) = inputProjection(tape: tape)
            result = cell(x, mask: stackedMask, initialState: initialStates?.first, inputWeight: weight, inputBias: bias)
        }
        let (output, states) = (result.output, [result.state])
        guard passes > 1 else { return (output, states) }
        let hidden = Variable.concatenate((0..<passes).map { output.slice(axis: 0, ($0 * batch)..<(($0 + 1) * batch)) }, axis: 2)
        return (hidden, states)
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
