import RealModule

/// Adam (Kingma & Ba), with optional weight decay and global-norm gradient clipping.
///
/// A training step is: build a tape, run the forward pass, `tape.backward(loss)`,
/// then `try adam.step()`, which clips, updates every parameter and zeroes the
/// gradients. A non-finite gradient stops the step before any weight changes.
public final class Adam {
    /// The parameters being optimised.
    public let parameters: [Parameter]
    /// The step size.
    public var learningRate: Float
    /// Decay of the first-moment estimate.
    public let beta1: Float
    /// Decay of the second-moment estimate.
    public let beta2: Float
    /// Added to the denominator for stability.
    public let epsilon: Float
    /// Weight decay coefficient (0 for none).
    public var weightDecay: Float
    /// Whether weight decay is decoupled (AdamW) rather than added to the gradient (PyTorch `Adam`).
    public var decoupledWeightDecay: Bool
    /// If set, gradients are clipped to this global L2 norm before each update.
    public var maxGradientNorm: Float?
    /// The number of updates applied so far.
    public internal(set) var stepCount = 0

    var firstMoments: [Tensor]
    var secondMoments: [Tensor]

    /// Creates an optimiser over `parameters` with PyTorch's defaults.
    public init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false,
        maxGradientNorm: Float? = nil
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.maxGradientNorm = maxGradientNorm
        firstMoments = parameters.map { .zeros($0.shape) }
        secondMoments = parameters.map { .zeros($0.shape) }
    }

    /// Applies one update from the accumulated gradients, then zeroes them.
    ///
    /// Returns the global gradient norm before clipping. Throws `NonFiniteError`
    /// (leaving every weight unchanged) if any gradient is NaN or infinite.
    @discardableResult
    public func step() throws -> Float {
        let norm = globalGradientNorm(parameters)
        guard norm.isFinite else {
            zeroGradients()
            throw NonFiniteError(quantity: "gradient norm", step: stepCount + 1, value: norm)
        }
        if let maxGradientNorm { clipGradients(parameters, maxNorm: maxGradientNorm) }
        stepCount += 1
        let t = Float(stepCount)
        // Bias corrections folded into the step size, as in the paper's efficient form.
        let correction1 = 1 - Float.pow(beta1, t), correction2 = 1 - Float.pow(beta2, t)
        let stepSize = learningRate / correction1
        let b1 = beta1, b2 = beta2, eps = epsilon
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        let shrink = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        let rootCorrection2 = correction2.squareRoot()
        for (index, parameter) in parameters.enumerated() {
            let count = parameter.value.count
            parameter.gradient.withPointer { g in
                firstMoments[index].withMutablePointer { m in
                    secondMoments[index].withMutablePointer { v in
                        parameter.value.withMutablePointer { w in
                            for i in 0..<count {
                                let gi = g[i] + l2 * w[i]
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                w[i] = shrink * w[i] - stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
                            }
                        }
                    }
                }
            }
        }
        zeroGradients()
        return norm
    }

    /// Sets every parameter's gradient to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}
