/// Weight initialisation schemes.
public enum Initializer: Sendable {
    /// All zeros.
    case zeros
    /// Uniform in [-bound, bound].
    case uniform(bound: Float)
    /// Xavier/Glorot uniform: bound sqrt(6 / (fanIn + fanOut)), for tanh/sigmoid layers.
    case xavierUniform
    /// Xavier/Glorot normal: std sqrt(2 / (fanIn + fanOut)).
    case xavierNormal
    /// He/Kaiming normal: std sqrt(2 / fanIn), for ReLU layers.
    case heNormal
    /// He/Kaiming uniform: bound sqrt(6 / fanIn).
    case heUniform

    /// A tensor of `shape` initialised by this scheme.
    ///
    /// Fans follow PyTorch: for a 2-D weight `[out, in]`, fanOut = out and fanIn = in.
    public func tensor(_ shape: [Int], using random: inout SeededRandom) -> Tensor {
        let fanOut = shape.first ?? 1
        let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : fanOut
        switch self {
        case .zeros:
            return .zeros(shape)
        case .uniform(let bound):
            return .uniform(shape, low: -bound, high: bound, using: &random)
        case .xavierUniform:
            let bound = (6 / Float(fanIn + fanOut)).squareRoot()
            return .uniform(shape, low: -bound, high: bound, using: &random)
        case .xavierNormal:
            let std = (2 / Float(fanIn + fanOut)).squareRoot()
            return .normal(shape, standardDeviation: std, using: &random)
        case .heNormal:
            return .normal(shape, standardDeviation: (2 / Float(fanIn)).squareRoot(), using: &random)
        case .heUniform:
            let bound = (6 / Float(fanIn)).squareRoot()
            return .uniform(shape, low: -bound, high: bound, using: &random)
        }
    }
}
