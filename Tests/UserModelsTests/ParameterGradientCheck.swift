import Testing

@testable import Tensor

/// Compares sampled elements of every parameter's analytic gradient with central finite differences.
enum ParameterGradientCheck {
    /// Backpropagates `loss` on `tape`, then for a few elements of each of `model`'s parameters
    /// (about `samplesPerParameter`, spread over the tensor) compares the gradient with
    /// (loss(θ + ε) − loss(θ − ε)) / 2ε, the loss evaluated on `evaluationTape()`. An element
    /// passes when any of `epsilons` agrees within `absolute` + `relative` × the larger magnitude:
    /// a ReLU kink within ±ε spoils one difference, and a smaller ε then agrees.
    /// Records an issue per failing element and returns the number of elements checked.
    @discardableResult
    static func check(
        _ model: some Layer, tape: Tape = Tape(), evaluationTape: () -> Tape = { Tape(isTraining: false) },
        samplesPerParameter: Int = 4, epsilons: [Float] = [1e-3, 1e-4], absolute: Double = 1e-3, relative: Double = 2e-2,
        sourceLocation: SourceLocation = #_sourceLocation, loss: (Tape) -> Variable
    ) -> Int {
        for parameter in model.parameters { parameter.zeroGradient() }
        tape.backward(loss(tape))
        var checked = 0
        for (name, parameter) in model.namedParameters {
            let original = parameter.value
            let count = original.count
            for element in stride(from: 0, to: count, by: max(1, count / samplesPerParameter)) {
                let analytic = Double(parameter.gradient.scalars[element])
                func objective(_ delta: Float) -> Double {
                    var scalars = original.scalars
                    scalars[element] += delta
                    parameter.value = Tensor(shape: original.shape, scalars: scalars)
                    return Double(loss(evaluationTape()).value.scalar)
                }
                var numeric = Double.nan
                let passed = epsilons.contains { epsilon in
                    numeric = (objective(epsilon) - objective(-epsilon)) / (2 * Double(epsilon))
                    return abs(analytic - numeric) <= absolute + relative * max(abs(analytic), abs(numeric))
                }
                parameter.value = original
                #expect(passed, "\(name)[\(element)]: analytic \(analytic), numeric \(numeric)", sourceLocation: sourceLocation)
                checked += 1
            }
        }
        return checked
    }
}
