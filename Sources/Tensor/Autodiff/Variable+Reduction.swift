/// The sizes before, along and after `axis` of `shape`, for axis-wise kernels.
@inline(__always)
func axisSplit(_ shape: [Int], _ axis: Int) -> (outer: Int, length: Int, inner: Int) {
    precondition(axis >= 0 && axis < shape.count, "axis \(axis) out of range for \(shape)")
    return (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

/// `axis` with negative values counted from the end.
@inline(__always)
func normalizedAxis(_ axis: Int, rank: Int) -> Int { axis < 0 ? axis + rank : axis }

extension Variable {
    /// The sum of all elements, as a rank-0 tensor.
    public func sum() -> Variable {
        let x = value
        var total: Float = 0
        x.withPointer { xp in for i in 0..<x.count { total += xp[i] } }
        return tape.record(Tensor(total), inputs: [self]) { tape, g in
            let scale = g.scalar
            tape.accumulate(self.id) { gx in for i in 0..<x.count { gx[i] += scale } }
        }
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Variable {
        sum() * (1 / Float(max(value.count, 1)))
    }

    /// The sum along `axis` (negative counts from the end), removing it unless `keepingAxis`.
    public func sum(axis: Int, keepingAxis: Bool = false) -> Variable {
        let x = value
        let axis = normalizedAxis(axis, rank: x.rank)
        let (outer, length, inner) = axisSplit(x.shape, axis)
        var outShape = x.shape
        if keepingAxis { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        let result = x.withPointer { xp in
            Tensor.build(outShape) { out in
                for o in 0..<outer {
                    for l in 0..<length {
                        let source = xp + (o &* length &+ l) &* inner
                        let target = out + o &* inner
                        for i in 0..<inner { target[i] += source[i] }
                    }
                }
            }
        }
        return tape.record(result, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    for o in 0..<outer {
                        for l in 0..<length {
                            let target = gx + (o &* length &+ l) &* inner
                            let source = gp + o &* inner
                            for i in 0..<inner { target[i] += source[i] }
                        }
                    }
                }
            }
        }
    }

    /// The mean along `axis` (negative counts from the end).
    public func mean(axis: Int, keepingAxis: Bool = false) -> Variable {
        let length = value.shape[normalizedAxis(axis, rank: value.rank)]
        return sum(axis: axis, keepingAxis: keepingAxis) * (1 / Float(max(length, 1)))
    }

    /// The mean along `axis` over positions where `mask` is non-zero, for variable-length batches.
    ///
    /// `mask` has the shape of `self` up to and including `axis` (e.g. `[B, T]` for
    /// `[B, T, D]` with axis 1) and weights each position; rows whose weights sum to
    /// zero give zeros rather than NaN.
    public func maskedMean(mask: Tensor, axis: Int) -> Variable {
        let x = value
        let axis = normalizedAxis(axis, rank: x.rank)
        precondition(Array(x.shape[...axis]) == mask.shape, "mask \(mask.shape) does not match \(x.shape) up to axis \(axis)")
        let (outer, length, inner) = axisSplit(x.shape, axis)
        var outShape = x.shape
        outShape.remove(at: axis)
        // Per-row weight m / Σm, computed once and reused by the backward pass.
        let weights = mask.withPointer { mp in
            Tensor.build(mask.shape) { w in
                for o in 0..<outer {
                    var total: Float = 0
                    for l in 0..<length { total += mp[o &* length &+ l] }
                    let scale: Float = total == 0 ? 0 : 1 / total
                    for l in 0..<length { w[o &* length &+ l] = mp[o &* length &+ l] * scale }
                }
            }
        }
        let result = x.withPointer { xp in
            weights.withPointer { wp in
                Tensor.build(outShape) { out in
                    for o in 0..<outer {
                        for l in 0..<length {
                            let weight = wp[o &* length &+ l]
                            if weight == 0 { continue }
                            let source = xp + (o &* length &+ l) &* inner
                            let target = out + o &* inner
                            for i in 0..<inner { target[i] += weight * source[i] }
                        }
                    }
                }
            }
        }
        return tape.record(result, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    weights.withPointer { wp in
                        for o in 0..<outer {
                            for l in 0..<length {
                                let weight = wp[o &* length &+ l]
                                let target = gx + (o &* length &+ l) &* inner
                                let source = gp + o &* inner
                                for i in 0..<inner { target[i] += weight * source[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
