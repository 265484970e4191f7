/// Several recurrent layers run in sequence, with dropout between them (PyTorch `num_layers`).
public final class StackedRecurrent<Cell: RecurrentLayer>: Layer {
    /// The layers, bottom first.
    public let layers: [Cell]
    /// Dropout applied to each layer's output except the last, in training only.
    public let dropout: Float

    /// Creates `layerCount` layers; the first takes `inputSize` features, the rest `hiddenSize`.
    public init(inputSize: Int, hiddenSize: Int, layerCount: Int = 1, dropout: Float = 0, random: inout SeededRandom) {
        precondition(layerCount >= 1, "a recurrent stack needs at least one layer")
        var layers: [Cell] = []
        for index in 0..<layerCount {
            layers.append(Cell(inputSize: index == 0 ? inputSize : hiddenSize, hiddenSize: hiddenSize, random: &random))
        }
        self.layers = layers
        self.dropout = dropout
    }

    /// Runs every layer over `input` `[B, T, I]`.
    ///
    /// Returns the top layer's outputs and each layer's final state (bottom first).
    /// `initialStates`, if given, has one state per layer.
    public func callAsFunction(
        _ input: Variable, mask: Tensor? = nil, initialStates: [RecurrentState]? = nil
    ) -> (output: Variable, states: [RecurrentState]) {
        if let initialStates { precondition(initialStates.count == layers.count, "one initial state per layer") }
        var current = input
        var states: [RecurrentState] = []
        for (index, layer) in layers.enumerated() {
            if index > 0 { current = current.dropout(rate: dropout) }
            let result = layer(current, mask: mask, initialState: initialStates?[index])
            current = result.output
            states.append(result.state)
        }
        return (current, states)
    }

    /// PyTorch names: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `weight_ih_l1`, …
    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { index, layer in
            layer.namedParameters.map { ("\($0.name)_l\(index)", $0.parameter) }
        }
    }
}

/// A multi-layer LSTM.
public typealias LSTM = StackedRecurrent<LSTMLayer>
/// A multi-layer GRU.
public typealias GRU = StackedRecurrent<GRULayer>
