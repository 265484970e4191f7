extension Tape {
    /// A constant of standard normal samples drawn from this tape's `random`.
    public func standardNormal(_ shape: [Int]) -> Variable {
        constant(.normal(shape, using: &random))
    }

    /// The reparameterisation trick: mean + exp(logVariance / 2) ⊙ ε with ε ~ N(0, 1).
    ///
    /// Gradients flow to `mean` and `logVariance`; on an inference tape the mean is returned.
    public func sampleGaussian(mean: Variable, logVariance: Variable) -> Variable {
        guard isTraining else { return mean }
        return mean + (logVariance * 0.5).exp() * standardNormal(mean.shape)
    }
}
