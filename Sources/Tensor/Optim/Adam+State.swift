extension Adam {
    /// The moments and step count as named tensors, to checkpoint beside the weights and resume exactly.
    ///
    /// Keys are `prefix.step`, `prefix.m.i` and `prefix.v.i`, with i the parameter's position.
    public func stateDictionary(prefix: String = "adam") -> [String: Tensor] {
        var state = ["\(prefix).step": Tensor(Float(stepCount))]
        for index in parameters.indices {
            state["\(prefix).m.\(index)"] = firstMoments[index]
            state["\(prefix).v.\(index)"] = secondMoments[index]
        }
        return state
    }

    /// Restores the state saved by `stateDictionary(prefix:)` for the same parameters in the same order.
    public func loadStateDictionary(_ tensors: [String: Tensor], prefix: String = "adam") throws {
        guard let step = tensors["\(prefix).step"] else { throw LayerError.missingParameter("\(prefix).step") }
        var first: [Tensor] = [], second: [Tensor] = []
        for (index, parameter) in parameters.enumerated() {
            for (name, target) in [("m", 0), ("v", 1)] {
                let key = "\(prefix).\(name).\(index)"
                guard let tensor = tensors[key] else { throw LayerError.missingParameter(key) }
                guard tensor.shape == parameter.shape else {
                    throw LayerError.shapeMismatch(name: key, expected: parameter.shape, found: tensor.shape)
                }
                if target == 0 { first.append(tensor) } else { second.append(tensor) }
            }
        }
        firstMoments = first
        secondMoments = second
        stepCount = Int(step.scalars.first ?? 0)
    }
}
