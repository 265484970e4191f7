/// The state a recurrent layer starts from or ends in.
public struct RecurrentState {
    /// The hidden state `[B, H]`.
    public var hidden: Variable
    /// The LSTM cell state `[B, H]`; nil for a GRU.
    public var cell: Variable?

    /// Creates a state.
    public init(hidden: Variable, cell: Variable? = nil) {
        self.hidden = hidden
        self.cell = cell
    }
}

/// What a recurrent layer returns for a whole sequence.
public struct RecurrentOutput {
    /// The hidden state at every step `[B, T, H]`, zero at masked steps.
    public var output: Variable
    /// The final state: the state after each row's last unmasked step.
    public var state: RecurrentState
}

/// A single recurrent layer run over a whole batch-first sequence.
public protocol RecurrentLayer: Layer {
    /// Creates a layer with PyTorch's initialisation, uniform in ±1/√hiddenSize.
    init(inputSize: Int, hiddenSize: Int, random: inout SeededRandom)
    /// The number of input features.
    var inputSize: Int { get }
    /// The size of the hidden state.
    var hiddenSize: Int { get }
    /// Runs over `input` `[B, T, I]`; `mask` `[B, T]` of 0/1 marks valid steps.
    ///
    /// At a masked step the state is carried over unchanged and the output is
    /// zero, so padded sequences end in the state of their last valid step.
    func callAsFunction(_ input: Variable, mask: Tensor?, initialState: RecurrentState?) -> RecurrentOutput
}
