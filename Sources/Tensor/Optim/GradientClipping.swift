/// The L2 norm of all gradients together, accumulated in Double.
public func globalGradientNorm(_ parameters: [Parameter]) -> Float {
    var total = 0.0
    for parameter in parameters {
        parameter.gradient.withPointer { g in
            var partial: Float = 0
            for i in 0..<parameter.gradient.count { partial += g[i] * g[i] }
            total += Double(partial)
        }
    }
    return Float(total.squareRoot())
}

/// Scales all gradients so their global L2 norm is at most `maxNorm`; returns the norm before clipping.
@discardableResult
public func clipGradients(_ parameters: [Parameter], maxNorm: Float) -> Float {
    precondition(maxNorm > 0, "maxNorm must be positive")
    let norm = globalGradientNorm(parameters)
    guard norm > maxNorm, norm.isFinite else { return norm }
    let scale = maxNorm / norm
    for parameter in parameters {
        let count = parameter.gradient.count
        parameter.gradient.withMutablePointer { g in for i in 0..<count { g[i] *= scale } }
    }
    return norm
}
