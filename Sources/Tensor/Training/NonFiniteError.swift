/// A NaN or infinity found during training; training must stop and no checkpoint be written.
public struct NonFiniteError: Error, Equatable, CustomStringConvertible {
    /// What was checked, e.g. "loss", "gradient norm" or a parameter name.
    public let quantity: String
    /// The training step (1-based) at which it was found.
    public let step: Int
    /// The offending value.
    public let value: Float

    /// Creates an error for `quantity` at `step`.
    public init(quantity: String, step: Int, value: Float) {
        self.quantity = quantity
        self.step = step
        self.value = value
    }

    /// A readable message naming the step.
    public var description: String {
        "training stopped at step \(step): \(quantity) is \(value); lower the learning rate or enable gradient clipping"
    }

    /// Equal when quantity, step and value match, treating NaN as equal to NaN.
    public static func == (left: Self, right: Self) -> Bool {
        left.quantity == right.quantity && left.step == right.step
            && (left.value == right.value || (left.value.isNaN && right.value.isNaN))
    }
}

/// Throws `NonFiniteError` if `value` (typically the loss) is NaN or infinite; call it every step.
public func checkFinite(_ value: Float, _ quantity: String = "loss", step: Int) throws {
    guard value.isFinite else { throw NonFiniteError(quantity: quantity, step: step, value: value) }
}

/// Throws `NonFiniteError` naming the first parameter holding a NaN or infinity; call it before saving.
public func checkFinite(_ layer: some Layer, step: Int) throws {
    for (name, parameter) in layer.namedParameters where !parameter.value.isFinite {
        let bad = parameter.value.scalars.first { !$0.isFinite } ?? .nan
        throw NonFiniteError(quantity: "parameter \(name)", step: step, value: bad)
    }
}
