/// Anything that owns named parameters: layers and whole models.
///
/// Names are stable and dotted (`encoder.weight_ih_l0`); they become
/// checkpoint keys, and follow PyTorch's names where a PyTorch module exists.
public protocol Layer {
    /// The parameters in a fixed order, each with its checkpoint name.
    var namedParameters: [(name: String, parameter: Parameter)] { get }
}

extension Layer {
    /// The parameters in a fixed order.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The parameters' names prefixed with `prefix` and a dot, for composing models.
    public func namedParameters(prefix: String) -> [(name: String, parameter: Parameter)] {
        namedParameters.map { ("\(prefix).\($0.name)", $0.parameter) }
    }

    /// A copy of every parameter value keyed by name (what a checkpoint stores).
    public func stateDictionary() -> [String: Tensor] {
        Dictionary(namedParameters.map { ($0.name, $0.parameter.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Replaces parameter values from `tensors`; every parameter must be present with its shape.
    public func loadStateDictionary(_ tensors: [String: Tensor]) throws {
        for (name, parameter) in namedParameters {
            guard let tensor = tensors[name] else { throw LayerError.missingParameter(name) }
            guard tensor.shape == parameter.shape else {
                throw LayerError.shapeMismatch(name: name, expected: parameter.shape, found: tensor.shape)
            }
            parameter.value = tensor
        }
    }
}

/// Errors from loading parameters into a layer.
public enum LayerError: Error, Equatable, CustomStringConvertible {
    /// The checkpoint has no tensor of this name.
    case missingParameter(String)
    /// The checkpoint tensor has another shape than the parameter.
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    /// A readable explanation.
    public var description: String {
        switch self {
        case .missingParameter(let name):
            return "checkpoint has no tensor named '\(name)'"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found) but the model expects \(expected)"
        }
    }
}
