import Listening
import Tensor

/// LatentCross (Beutel, Covington, Jain, Xu, Li, Gatto and Chi, WSDM 2018): a GRU over the user's
/// plays whose input and output are multiplied element-wise by `(1 + w_c)`, a context embedding.
///
/// Step i reads play i − 1 (its track vector, skip flag and the log time gap to play i) and
/// predicts play i. Pre-fusion: the input is crossed with the context of the play read; the GRU
/// runs; post-fusion: its hidden state is crossed with the context of the play predicted, then a
/// ReLU layer and a linear layer give the predicted track vector. The paper's softmax over items
/// is replaced by a cosine loss to the next track's vector (Docs/baselines.md says why).
///
/// Not thread-safe while training; prediction only reads the parameters.
public final class LatentCross: Layer {
    /// The settings the model was built with.
    public let config: LatentCrossConfig
    /// Dimension of the track space.
    public let dimension: Int

    let gru: GRULayer
    /// Pre-fusion cross on the GRU input (nil when off).
    let inputGate: LatentCrossGate?
    /// Post-fusion cross on the GRU output (nil when off).
    let outputGate: LatentCrossGate?
    let dense: Linear
    let output: Linear

    /// Builds a freshly initialised model for a `dimension`-d track space.
    public init(config: LatentCrossConfig, dimension: Int) throws {
        try config.validate()
        try ConfigurationError.require(dimension >= 1, "LatentCross", field: "dimension", allowed: "≥ 1", value: dimension)
        self.config = config
        self.dimension = dimension
        var random = SeededRandom(seed: config.seed)
        let width = dimension + 4
        gru = GRULayer(inputSize: width, hiddenSize: config.hiddenSize, random: &random)
        let fields = config.fields
        inputGate = config.crossInput ? LatentCrossGate(fields: fields, config: config, width: width, random: &random) : nil
        outputGate = config.crossOutput ? LatentCrossGate(fields: fields, config: config, width: config.hiddenSize, random: &random) : nil
        dense = Linear(inputSize: config.hiddenSize, outputSize: config.denseSize, initializer: .heUniform, random: &random)
        output = Linear(inputSize: config.denseSize, outputSize: dimension, random: &random)
    }

    /// Name used in tables.
    public var name: String { config.name }

    /// The context fields the predictions read.
    public var contextFields: Set<ContextField> { config.contextFields }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        var all = gru.namedParameters(prefix: "gru")
        if let inputGate { all += inputGate.namedParameters(prefix: "cross.input") }
        if let outputGate { all += outputGate.namedParameters(prefix: "cross.output") }
        all += dense.namedParameters(prefix: "dense")
        all += output.namedParameters(prefix: "output")
        return all
    }

    /// The predicted track vectors `[B, T, D]` of a batch, and the GRU's final state `[B, H]`.
    func forward(_ batch: LatentCrossBatch, tape: Tape, initialState: Tensor? = nil) -> (prediction: Variable, state: Variable) {
        let (b, t) = (batch.rows, batch.steps)
        let n = b * t
        var input = tape.constant(batch.inputs)
        if let inputGate {
            input = inputGate(input.reshaped([n, inputWidth]), indices: batch.inputIndices).reshaped([b, t, inputWidth])
        }
        let recurrent = gru(input, mask: batch.mask, initialState: initialState.map { RecurrentState(hidden: tape.constant($0)) })
        var hidden = recurrent.output.reshaped([n, config.hiddenSize])
        if let outputGate { hidden = outputGate(hidden, indices: batch.outputIndices) }
        let prediction = output(dense(hidden).relu()).reshaped([b, t, dimension])
        return (prediction, recurrent.state.hidden)
    }

    /// The mean cosine distance of the batch's scored steps (the training and validation loss).
    func loss(_ batch: LatentCrossBatch, tape: Tape) -> Variable {
        Loss.cosineDistance(forward(batch, tape: tape).prediction, tape.constant(batch.targets), mask: batch.lossMask)
    }

    /// The context embedding `w_c` the output cross applies for `context` (nil when that cross is off).
    public func outputCrossEmbedding(for context: SessionContext) -> [Float]? {
        outputGate?.embedding(of: context, config: config)
    }
}
