/// A fully connected layer `y = x · weightᵀ + bias` (PyTorch `nn.Linear` layout).
public final class Linear: Layer {
    /// `[outputSize, inputSize]`.
    public let weight: Parameter
    /// `[outputSize]`, or nil for a layer without bias.
    public let bias: Parameter?

    /// Creates a layer with Xavier-uniform weights (or `initializer`) and zero bias.
    public init(
        inputSize: Int, outputSize: Int, bias: Bool = true,
        initializer: Initializer = .xavierUniform, random: inout SeededRandom
    ) {
        weight = Parameter(initializer.tensor([outputSize, inputSize], using: &random))
        self.bias = bias ? Parameter(.zeros([outputSize])) : nil
    }

    /// The number of input features.
    public var inputSize: Int { weight.shape[1] }
    /// The number of output features.
    public var outputSize: Int { weight.shape[0] }

    /// Applies the layer over the last axis of `input`.
    public func callAsFunction(_ input: Variable) -> Variable {
        let tape = input.tape
        return input.linear(weight: tape.parameter(weight), bias: bias.map { tape.parameter($0) })
    }

    /// `weight` and, if present, `bias`.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
