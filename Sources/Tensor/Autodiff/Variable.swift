/// A tensor recorded on a tape; operations on variables are differentiable.
public struct Variable {
    /// The tape that recorded this variable.
    public let tape: Tape
    /// The position of this variable on its tape.
    public let id: Int

    /// The forward value.
    public var value: Tensor { tape.values[id] }

    /// The shape of the forward value.
    public var shape: [Int] { tape.values[id].shape }

    /// The gradient computed by the last `Tape.backward`, if any flowed here.
    public var gradient: Tensor? { tape.gradients[id] }

    /// Whether gradients flow to this variable.
    public var requiresGradient: Bool { tape.requiresGradient[id] }
}
