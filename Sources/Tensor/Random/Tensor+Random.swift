extension Tensor {
    /// A tensor of independent uniform samples in [low, high).
    public static func uniform(
        _ shape: [Int], low: Float = 0, high: Float = 1, using random: inout SeededRandom
    ) -> Tensor {
        let count = shape.reduce(1, *)
        var scalars = [Float](repeating: 0, count: count)
        for index in 0..<count { scalars[index] = random.uniform(low, high) }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// A tensor of independent normal samples.
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using random: inout SeededRandom
    ) -> Tensor {
        let count = shape.reduce(1, *)
        var scalars = [Float](repeating: 0, count: count)
        for index in 0..<count { scalars[index] = random.normal(mean: mean, standardDeviation: standardDeviation) }
        return Tensor(shape: shape, scalars: scalars)
    }
}
