extension Variable {
    /// The same elements with a new shape of equal element count.
    public func reshaped(_ shape: [Int]) -> Variable {
        let oldShape = self.shape
        return tape.record(value.reshaped(shape), inputs: [self]) { tape, g in
            tape.accumulate(self.id, g.reshaped(oldShape))
        }
    }

    /// Joins variables along `axis`; all other dimensions must match.
    public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
        guard let first = parts.first else { preconditionFailure("concatenate of no variables") }
        let tape = first.tape
        let axis = normalizedAxis(axis, rank: first.value.rank)
        let values = parts.map(\.value)
        let lengths = values.map { $0.shape[axis] }
        var outShape = first.shape
        outShape[axis] = lengths.reduce(0, +)
        for v in values {
            var expected = v.shape
            expected[axis] = outShape[axis]
            precondition(expected == outShape, "concatenate: shape \(v.shape) does not match \(first.shape) off axis \(axis)")
        }
        let (outer, total, inner) = axisSplit(outShape, axis)
        let result = Tensor.build(outShape) { out in
            var offset = 0
            for (v, length) in zip(values, lengths) {
                let run = length &* inner
                v.withPointer { vp in
                    for o in 0..<outer {
                        (out + (o &* total &+ offset) &* inner).update(from: vp + o &* run, count: run)
                    }
                }
                offset += length
            }
        }
        return tape.record(result, inputs: parts) { tape, g in
            g.withPointer { gp in
                var offset = 0
                for (part, length) in zip(parts, lengths) {
                    let run = length &* inner
                    tape.accumulate(part.id) { gv in
                        for o in 0..<outer {
                            let source = gp + (o &* total &+ offset) &* inner
                            let target = gv + o &* run
                            for i in 0..<run { target[i] += source[i] }
                        }
                    }
                    offset += length
                }
            }
        }
    }

    /// The sub-range `range` of `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Variable {
        let x = value
        let axis = normalizedAxis(axis, rank: x.rank)
        let (outer, length, inner) = axisSplit(x.shape, axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "slice \(range) out of 0..<\(length)")
        var outShape = x.shape
        outShape[axis] = range.count
        let run = range.count &* inner
        let result = x.withPointer { xp in
            Tensor.build(outShape) { out in
                for o in 0..<outer {
                    (out + o &* run).update(from: xp + (o &* length &+ range.lowerBound) &* inner, count: run)
                }
            }
        }
        return tape.record(result, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    for o in 0..<outer {
                        let target = gx + (o &* length &+ range.lowerBound) &* inner
                        let source = gp + o &* run
                        for i in 0..<run { target[i] += source[i] }
                    }
                }
            }
        }
    }

    /// Rows of a `[V, D]` table picked by `indices` (an embedding lookup), shaped `indexShape + [D]`.
    ///
    /// Gradients are scatter-added, so repeated indices accumulate.
    public func gather(_ indices: [Int], indexShape: [Int]? = nil) -> Variable {
        let table = value
        precondition(table.rank == 2, "gather needs a [V, D] table, got \(table.shape)")
        let rows = table.shape[0], width = table.shape[1]
        let shape = indexShape ?? [indices.count]
        precondition(shape.reduce(1, *) == indices.count, "index shape \(shape) for \(indices.count) indices")
        for index in indices { precondition(index >= 0 && index < rows, "gather index \(index) out of 0..<\(rows)") }
        let result = table.withPointer { tp in
            Tensor.build(shape + [width]) { out in
                for (position, index) in indices.enumerated() {
                    (out + position &* width).update(from: tp + index &* width, count: width)
                }
            }
        }
        return tape.record(result, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gt in
                g.withPointer { gp in
                    for (position, index) in indices.enumerated() {
                        let target = gt + index &* width
                        let source = gp + position &* width
                        for i in 0..<width { target[i] += source[i] }
                    }
                }
            }
        }
    }
}
