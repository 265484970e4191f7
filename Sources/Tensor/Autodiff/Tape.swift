/// Records a forward pass so that `backward(_:)` can propagate gradients in reverse.
///
/// A tape is single-use: build one per training step, run the forward pass on
/// it, call `backward`, then step the optimiser. A tape created with
/// `isTraining: false` records nothing that needs a gradient and turns dropout off.
public final class Tape {
    /// Whether this is a training pass (enables dropout and gradient recording).
    public let isTraining: Bool
    /// The random source used by stochastic ops such as dropout and sampling.
    public var random: SeededRandom

    var values: [Tensor] = []
    var gradients: [Tensor?] = []
    var requiresGradient: [Bool] = []
    var operations: [Operation] = []
    var parameterLeaves: [(id: Int, parameter: Parameter)] = []
    var parameterIDs: [ObjectIdentifier: Int] = [:]

    /// One recorded operation: which outputs it owns and how to pull their gradients back.
    struct Operation {
        let outputs: [Int]
        let backward: (Tape, [Tensor?]) -> Void
    }

    /// Creates an empty tape.
    public init(isTraining: Bool = true, seed: UInt64 = 0) {
        self.isTraining = isTraining
        self.random = SeededRandom(seed: seed)
        _ = allocatorTuned
    }

    /// Records a tensor that never receives a gradient.
    public func constant(_ value: Tensor) -> Variable {
        append(value, requiresGradient: false)
    }

    /// Records a leaf tensor that receives a gradient (readable via `Variable.gradient`).
    public func variable(_ value: Tensor) -> Variable {
        append(value, requiresGradient: isTraining)
    }

    /// Brings a parameter onto the tape; `backward` adds its gradient into `parameter.gradient`.
    ///
    /// Calling this twice for the same parameter returns the same variable.
    public func parameter(_ parameter: Parameter) -> Variable {
        let key = ObjectIdentifier(parameter)
        if let id = parameterIDs[key] { return Variable(tape: self, id: id) }
        let variable = append(parameter.value, requiresGradient: isTraining)
        parameterIDs[key] = variable.id
        parameterLeaves.append((variable.id, parameter))
        return variable
    }

    /// Propagates gradients from `loss` back to every leaf and parameter.
    ///
    /// `loss` must be a one-element tensor unless `seed` (the gradient of the
    /// final objective with respect to `loss`) is given.
    public func backward(_ loss: Variable, seed: Tensor? = nil) {
        precondition(loss.tape === self, "backward on a variable from another tape")
        let start = seed ?? Tensor(shape: loss.shape, repeating: 1)
        precondition(start.count == loss.value.count, "seed shape \(start.shape) vs loss \(loss.shape)")
        precondition(seed != nil || start.count == 1, "backward from a non-scalar needs a seed")
        accumulate(loss.id, start.reshaped(loss.shape))
        for operation in operations.reversed() {
            let outputGradients = operation.outputs.map { gradients[$0] }
            if outputGradients.allSatisfy({ $0 == nil }) { continue }
            operation.backward(self, outputGradients)
        }
        for (id, parameter) in parameterLeaves {
            if let gradient = gradients[id] { parameter.gradient.add(gradient) }
        }
        // Tapes are single-use: dropping the backward closures breaks the tape ↔ variable cycle,
        // so a training step's activations are freed instead of leaking until exit.
        operations.removeAll()
    }

    /// The gradient of the last `backward` with respect to `variable`, zeros if none flowed.
    public func gradient(of variable: Variable) -> Tensor {
        gradients[variable.id] ?? .zeros(variable.shape)
    }

    // MARK: Recording (internal)

    func append(_ value: Tensor, requiresGradient needs: Bool) -> Variable {
        values.append(value)
        gradients.append(nil)
        requiresGradient.append(needs)
        return Variable(tape: self, id: values.count - 1)
    }

    /// Records an op with one output; `backward` receives the output's gradient.
    func record(
        _ value: Tensor, inputs: [Variable], backward: @escaping (Tape, Tensor) -> Void
    ) -> Variable {
        let needs = isTraining && inputs.contains { requiresGradient[$0.id] }
        let output = append(value, requiresGradient: needs)
        if needs {
            operations.append(
                Operation(outputs: [output.id]) { tape, gradients in
                    if let gradient = gradients[0] { backward(tape, gradient) }
                })
        }
        return output
    }

    /// Records an op with several outputs; `backward` receives each output's gradient or nil.
    func record(
        _ values: [Tensor], inputs: [Variable], backward: @escaping (Tape, [Tensor?]) -> Void
    ) -> [Variable] {
        let needs = isTraining && inputs.contains { requiresGradient[$0.id] }
        let outputs = values.map { append($0, requiresGradient: needs) }
        if needs { operations.append(Operation(outputs: outputs.map(\.id), backward: backward)) }
        return outputs
    }

    /// Whether `variable` wants a gradient (ops skip work for inputs that do not).
    @inline(__always)
    func needsGradient(_ variable: Variable) -> Bool { requiresGradient[variable.id] }

    /// Adds `gradient` into the gradient of `id` (taking ownership when it is the first).
    func accumulate(_ id: Int, _ gradient: Tensor) {
        guard requiresGradient[id] else { return }
        if var existing = gradients[id] {
            gradients[id] = nil  // Keep `existing` uniquely referenced so the add is in place.
            existing.add(gradient)
            gradients[id] = existing
        } else {
            gradients[id] = gradient.reshaped(values[id].shape)
        }
    }

    /// Lets `body` add into the gradient of `id` in place (zeroed storage if it is the first).
    func accumulate(_ id: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        guard requiresGradient[id] else { return }
        var gradient = gradients[id] ?? .zeros(values[id].shape)
        gradients[id] = nil
        gradient.withMutablePointer(body)
        gradients[id] = gradient
    }
}
