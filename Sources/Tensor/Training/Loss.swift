/// Scalar training objectives built from tape ops.
public enum Loss {
    /// The mean of (prediction − target)² over all elements.
    public static func meanSquaredError(_ prediction: Variable, _ target: Variable) -> Variable {
        (prediction - target).squared().mean()
    }

    /// The mean of 1 − cos(prediction, target) over rows of the last axis.
    ///
    /// `mask`, if given, has the shape of the cosine (all axes but the last) and
    /// weights each row; rows with weight 0 (padding) do not count.
    public static func cosineDistance(_ prediction: Variable, _ target: Variable, mask: Tensor? = nil) -> Variable {
        let distance = 1 - prediction.cosineSimilarity(target)
        guard let mask else { return distance.mean() }
        precondition(mask.shape == distance.shape, "mask \(mask.shape) for cosine of shape \(distance.shape)")
        let count = distance.value.count
        return distance.reshaped([1, count]).maskedMean(mask: mask.reshaped([1, count]), axis: 1).reshaped([])
    }

    /// KL(N(mean, exp(logVariance)) ‖ N(0, 1)), summed over the last axis and averaged over the rest.
    public static func gaussianKLDivergence(mean: Variable, logVariance: Variable) -> Variable {
        ((mean.squared() + logVariance.exp() - logVariance - 1) * 0.5).sum(axis: -1).mean()
    }
}
