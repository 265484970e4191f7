/// A trainable tensor and the gradient accumulated for it by `Tape.backward`.
///
/// Layers own parameters; every forward pass brings them onto a tape with
/// `Tape.parameter(_:)`, and optimisers read `gradient` and update `value`.
public final class Parameter {
    /// The current value.
    public var value: Tensor
    /// The accumulated gradient, same shape as `value`; zero it between steps.
    public var gradient: Tensor

    /// Creates a parameter with an initial value and a zero gradient.
    public init(_ value: Tensor) {
        self.value = value
        self.gradient = .zeros(value.shape)
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// Resets the gradient to zero.
    public func zeroGradient() {
        let count = gradient.count
        gradient.withMutablePointer { pointer in pointer.update(repeating: 0, count: count) }
    }
}
