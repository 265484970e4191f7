/// Dropout as a layer, for models that list their layers; see `Variable.dropout(rate:)`.
public struct Dropout: Layer, Sendable {
    /// The probability of zeroing each element in training.
    public let rate: Float

    /// Creates a dropout layer.
    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate \(rate) outside [0, 1)")
        self.rate = rate
    }

    /// Applies dropout on a training tape; identity on an inference tape.
    public func callAsFunction(_ input: Variable) -> Variable { input.dropout(rate: rate) }

    /// None: dropout has no parameters.
    public var namedParameters: [(name: String, parameter: Parameter)] { [] }
}
