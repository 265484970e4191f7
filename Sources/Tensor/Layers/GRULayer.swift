/// One GRU layer with fused forward and backward kernels (PyTorch `nn.GRU` parameter layout).
public final class GRULayer: RecurrentLayer {
    /// `[3H, I]`, gates stacked r, z, n.
    public let weightIH: Parameter
    /// `[3H, H]`.
    public let weightHH: Parameter
    /// `[3H]`.
    public let biasIH: Parameter
    /// `[3H]`; separate from `biasIH` because r multiplies only the recurrent candidate term.
    public let biasHH: Parameter

    /// Creates a layer with weights and biases uniform in ±1/√hiddenSize (as PyTorch).
    public init(inputSize: Int, hiddenSize: Int, random: inout SeededRandom) {
        let initializer = Initializer.uniform(bound: 1 / Float(hiddenSize).squareRoot())
        weightIH = Parameter(initializer.tensor([3 * hiddenSize, inputSize], using: &random))
        weightHH = Parameter(initializer.tensor([3 * hiddenSize, hiddenSize], using: &random))
        biasIH = Parameter(initializer.tensor([3 * hiddenSize], using: &random))
        biasHH = Parameter(initializer.tensor([3 * hiddenSize], using: &random))
    }

    /// The number of input features.
    public var inputSize: Int { weightIH.shape[1] }
    /// The size of the hidden state.
    public var hiddenSize: Int { weightHH.shape[1] }

    /// Runs the layer over `input` `[B, T, I]` (see `RecurrentLayer`); the state has no cell.
    public func callAsFunction(_ input: Variable, mask: Tensor? = nil, initialState: RecurrentState? = nil) -> RecurrentOutput {
        let tape = input.tape
        return gruSequence(
            input: input, mask: mask, initialState: initialState,
            weightIH: tape.parameter(weightIH), weightHH: tape.parameter(weightHH),
            biasIH: tape.parameter(biasIH), biasHH: tape.parameter(biasHH))
    }

    /// PyTorch names without the layer suffix: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
    }
}
