/// Shapes and checks shared by the fused recurrent kernels.
struct SequenceShape {
    let batch: Int, steps: Int, inputs: Int, hidden: Int

    init(input: Tensor, hidden: Int, mask: Tensor?) {
        precondition(input.rank == 3, "recurrent input must be [batch, steps, features], got \(input.shape)")
        batch = input.shape[0]
        steps = input.shape[1]
        inputs = input.shape[2]
        self.hidden = hidden
        if let mask {
            precondition(mask.shape == [batch, steps], "mask \(mask.shape) for input \(input.shape)")
            precondition(mask.scalars.allSatisfy { $0 == 0 || $0 == 1 }, "recurrent masks must be 0 or 1")
        }
    }

    /// Rows of the flattened `[B·T, ·]` matrices.
    var rows: Int { batch &* steps }
}

/// The previous hidden (or cell) rows for step `t`: the initial state at t = 0, else the saved states.
@inline(__always)
func previousRows(
    step t: Int, initial: UnsafePointer<Float>, states: UnsafePointer<Float>, shape: SequenceShape
) -> (pointer: UnsafePointer<Float>, stride: Int) {
    t == 0 ? (initial, shape.hidden) : (states + (t &- 1) &* shape.hidden, shape.steps &* shape.hidden)
}

/// The `[B·T, H]` matrix whose row (b, t) is the state before step t, for weight gradients.
func shiftedStates(_ states: Tensor, initial: Tensor, shape: SequenceShape) -> Tensor {
    let h = shape.hidden
    return states.withPointer { sp in
        initial.withPointer { ip in
            Tensor.build([shape.rows, h]) { out in
                for b in 0..<shape.batch {
                    let row = out + b &* shape.steps &* h
                    row.update(from: ip + b &* h, count: h)
                    if shape.steps > 1 {
                        (row + h).update(from: sp + b &* shape.steps &* h, count: (shape.steps &- 1) &* h)
                    }
                }
            }
        }
    }
}

/// Rows `[B, H]` of a `[B, T, H]` tensor at step `t`.
func stepRows(_ states: Tensor, step t: Int, shape: SequenceShape) -> Tensor {
    let h = shape.hidden
    return states.withPointer { sp in
        Tensor.build([shape.batch, h]) { out in
            for b in 0..<shape.batch {
                (out + b &* h).update(from: sp + (b &* shape.steps &+ t) &* h, count: h)
            }
        }
    }
}

/// `states ⊙ mask` broadcast over the hidden axis (zeros at padded steps).
func maskedStates(_ states: Tensor, mask: Tensor?, shape: SequenceShape) -> Tensor {
    guard let mask else { return states }
    var result = states
    result.withMutablePointer { rp in
        mask.withPointer { mp in
            for r in 0..<shape.rows where mp[r] == 0 {
                (rp + r &* shape.hidden).update(repeating: 0, count: shape.hidden)
            }
        }
    }
    return result
}
