/// One LSTM layer with fused forward and backward kernels (PyTorch `nn.LSTM` parameter layout).
public final class LSTMLayer: RecurrentLayer {
    /// `[4H, I]`, gates stacked i, f, g, o.
    public let weightIH: Parameter
    /// `[4H, H]`.
    public let weightHH: Parameter
    /// `[4H]`.
    public let biasIH: Parameter
    /// `[4H]`; kept separate from `biasIH` so PyTorch checkpoints map one to one.
    public let biasHH: Parameter

    /// Creates a layer with weights and biases uniform in ±1/√hiddenSize (as PyTorch).
    public init(inputSize: Int, hiddenSize: Int, random: inout SeededRandom) {
        let initializer = Initializer.uniform(bound: 1 / Float(hiddenSize).squareRoot())
        weightIH = Parameter(initializer.tensor([4 * hiddenSize, inputSize], using: &random))
        weightHH = Parameter(initializer.tensor([4 * hiddenSize, hiddenSize], using: &random))
        biasIH = Parameter(initializer.tensor([4 * hiddenSize], using: &random))
        biasHH = Parameter(initializer.tensor([4 * hiddenSize], using: &random))
    }

    /// The number of input features.
    public var inputSize: Int { weightIH.shape[1] }
    /// The size of the hidden and cell states.
    public var hiddenSize: Int { weightHH.shape[1] }

    /// Runs the layer over `input` `[B, T, I]` (see `RecurrentLayer`).
    public func callAsFunction(_ input: Variable, mask: Tensor? = nil, initialState: RecurrentState? = nil) -> RecurrentOutput {
        let tape = input.tape
        return lstmSequence(
            input: input, mask: mask, initialState: initialState,
            weightIH: tape.parameter(weightIH), weightHH: tape.parameter(weightHH),
            biasIH: tape.parameter(biasIH), biasHH: tape.parameter(biasHH))
    }

    /// Runs the layer over `input` `[B, T, I]` with `inputWeight` `[4H, I]` and `inputBias` `[4H]` in place of
    /// `weightIH` and `biasIH`: for a linear layer before this one composed into them, say.
    public func callAsFunction(
        _ input: Variable, mask: Tensor? = nil, initialState: RecurrentState? = nil, inputWeight: Variable, inputBias: Variable
    ) -> RecurrentOutput {
        let tape = input.tape
        return lstmSequence(
            input: input, mask: mask, initialState: initialState,
            weightIH: inputWeight, weightHH: tape.parameter(weightHH), biasIH: inputBias, biasHH: tape.parameter(biasHH))
    }

    /// PyTorch names without the layer suffix: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
    }
}
