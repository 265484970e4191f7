import Testing

@testable import Tensor

/// Central finite-difference gradient checking for tape ops and layers.
///
/// The scalar objective is L = Σ out ⊙ R for a fixed random R, accumulated in
/// Float64 so only the Float32 forward pass contributes rounding. An analytic
/// gradient g passes against the numeric estimate n when
/// |g − n| ≤ absoluteTolerance + relativeTolerance · max(|g|, |n|).
struct GradientCheck {
    var epsilon: Float = 1e-2
    var absoluteTolerance: Double = 2e-3
    var relativeTolerance: Double = 1e-2
    /// Checks at most this many elements per tensor (spread evenly) to keep tests fast.
    var maximumElementsPerTensor = 24

    func run(
        inputs: [Tensor], parameters: [Parameter] = [], seed: UInt64 = 7,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (Tape, [Variable]) -> Variable
    ) {
        // Analytic gradients.
        let tape = Tape(seed: seed)
        let variables = inputs.map { tape.variable($0) }
        for parameter in parameters { parameter.zeroGradient() }
        let output = body(tape, variables)
        var random = SeededRandom(seed: 99)
        let weights = Tensor.uniform(output.shape, low: -1, high: 1, using: &random)
        let loss = (output * tape.constant(weights)).sum()
        tape.backward(loss)
        let analytic = variables.map { tape.gradient(of: $0) } + parameters.map(\.gradient)

        func objective(_ inputs: [Tensor]) -> Double {
            let tape = Tape(seed: seed)
            let out = body(tape, inputs.map { tape.variable($0) }).value
            precondition(out.shape == weights.shape)
            var total = 0.0
            for i in 0..<out.count { total += Double(out.scalars[i]) * Double(weights.scalars[i]) }
            return total
        }

        var inputs = inputs
        let slots = inputs.count + parameters.count
        for slot in 0..<slots {
            let count = slot < inputs.count ? inputs[slot].count : parameters[slot - inputs.count].value.count
            let step = max(1, count / maximumElementsPerTensor)
            for element in stride(from: 0, to: count, by: step) {
                func perturb(_ delta: Float) {
                    if slot < inputs.count {
                        inputs[slot].scalars[element] += delta
                    } else {
                        parameters[slot - inputs.count].value.scalars[element] += delta
                    }
                }
                let original = slot < inputs.count ? inputs[slot].scalars[element] : parameters[slot - inputs.count].value.scalars[element]
                perturb(epsilon)
                let plus = objective(inputs)
                if slot < inputs.count {
                    inputs[slot].scalars[element] = original
                } else {
                    parameters[slot - inputs.count].value.scalars[element] = original
                }
                perturb(-epsilon)
                let minus = objective(inputs)
                if slot < inputs.count {
                    inputs[slot].scalars[element] = original
                } else {
                    parameters[slot - inputs.count].value.scalars[element] = original
                }
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let exact = Double(analytic[slot].scalars[element])
                let allowed = absoluteTolerance + relativeTolerance * max(abs(exact), abs(numeric))
                if !(abs(exact - numeric) <= allowed) {
                    Issue.record(
                        "gradient mismatch in \(slot < inputs.count ? "input" : "parameter") \(slot) element \(element): analytic \(exact), numeric \(numeric)",
                        sourceLocation: sourceLocation)
                    return
                }
            }
        }
    }
}

/// A reproducible random tensor for tests.
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var random = SeededRandom(seed: seed)
    return .uniform(shape, low: low, high: high, using: &random)
}
