import RealModule

extension Variable {
    /// Softmax over the last axis (max-subtracted for stability).
    public func softmax() -> Variable {
        let x = value
        let width = x.shape.last ?? 1
        let rows = x.count / max(width, 1)
        let y = x.withPointer { xp in
            Tensor.build(x.shape) { out in
                for r in 0..<rows {
                    let row = xp + r &* width, target = out + r &* width
                    var maximum = -Float.infinity
                    for i in 0..<width { maximum = max(maximum, row[i]) }
                    var total: Float = 0
                    for i in 0..<width {
                        target[i] = Float.exp(row[i] - maximum)
                        total += target[i]
                    }
                    let scale = 1 / total
                    for i in 0..<width { target[i] *= scale }
                }
            }
        }
        return tape.record(y, inputs: [self]) { tape, g in
            // dx = y ⊙ (g − Σ g⊙y) per row.
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    y.withPointer { yp in
                        for r in 0..<rows {
                            let base = r &* width
                            var dot: Float = 0
                            for i in 0..<width { dot += gp[base &+ i] * yp[base &+ i] }
                            for i in 0..<width { gx[base &+ i] += yp[base &+ i] * (gp[base &+ i] - dot) }
                        }
                    }
                }
            }
        }
    }

    /// Each row over the last axis divided by its L2 norm, clamped below by `epsilon` (as PyTorch).
    public func l2Normalized(epsilon: Float = 1e-12) -> Variable {
        let x = value
        let width = x.shape.last ?? 1
        let rows = x.count / max(width, 1)
        var norms = [Float](repeating: 0, count: rows)
        let y = x.withPointer { xp in
            Tensor.build(x.shape) { out in
                for r in 0..<rows {
                    let row = xp + r &* width
                    var total: Float = 0
                    for i in 0..<width { total += row[i] * row[i] }
                    let norm = max(total.squareRoot(), epsilon)
                    norms[r] = norm
                    let scale = 1 / norm
                    for i in 0..<width { out[r &* width &+ i] = row[i] * scale }
                }
            }
        }
        return tape.record(y, inputs: [self]) { tape, g in
            tape.accumulate(self.id) { gx in
                g.withPointer { gp in
                    y.withPointer { yp in
                        for r in 0..<rows {
                            let base = r &* width, norm = norms[r]
                            // Inside the clamp the norm is constant and the map is linear.
                            let clamped = norm <= epsilon
                            var dot: Float = 0
                            if !clamped { for i in 0..<width { dot += gp[base &+ i] * yp[base &+ i] } }
                            let scale = 1 / norm
                            for i in 0..<width { gx[base &+ i] += (gp[base &+ i] - yp[base &+ i] * dot) * scale }
                        }
                    }
                }
            }
        }
    }

    /// Cosine similarity along the last axis: a·b / (max(|a|, ε) · max(|b|, ε)).
    ///
    /// Shapes must match; the result drops the last axis.
    public func cosineSimilarity(_ other: Variable, epsilon: Float = 1e-8) -> Variable {
        let a = value, b = other.value
        precondition(a.shape == b.shape, "cosineSimilarity of \(a.shape) and \(b.shape)")
        let width = a.shape.last ?? 1
        let rows = a.count / max(width, 1)
        var normA = [Float](repeating: 0, count: rows), normB = normA
        let result = a.withPointer { ap in
            b.withPointer { bp in
                Tensor.build(Array(a.shape.dropLast())) { out in
                    for r in 0..<rows {
                        let base = r &* width
                        var dot: Float = 0, aa: Float = 0, bb: Float = 0
                        for i in 0..<width {
                            dot += ap[base &+ i] * bp[base &+ i]
                            aa += ap[base &+ i] * ap[base &+ i]
                            bb += bp[base &+ i] * bp[base &+ i]
                        }
                        normA[r] = max(aa.squareRoot(), epsilon)
                        normB[r] = max(bb.squareRoot(), epsilon)
                        out[r] = dot / (normA[r] * normB[r])
                    }
                }
            }
        }
        return tape.record(result, inputs: [self, other]) { tape, g in
            g.withPointer { gp in
                result.withPointer { cp in
                    a.withPointer { ap in
                        b.withPointer { bp in
                            // ∂c/∂a = b/(|a||b|) − c·a/|a|² (the second term vanishes when |a| is clamped).
                            func pull(
                                _ id: Int, _ own: UnsafePointer<Float>, _ partner: UnsafePointer<Float>, _ ownNorm: [Float],
                                _ partnerNorm: [Float]
                            ) {
                                tape.accumulate(id) { gv in
                                    for r in 0..<rows {
                                        let base = r &* width
                                        let n = ownNorm[r], m = partnerNorm[r]
                                        let cross = gp[r] / (n * m)
                                        let selfTerm: Float = n > epsilon ? gp[r] * cp[r] / (n * n) : 0
                                        for i in 0..<width {
                                            gv[base &+ i] += cross * partner[base &+ i] - selfTerm * own[base &+ i]
                                        }
                                    }
                                }
                            }
                            pull(self.id, ap, bp, normA, normB)
                            pull(other.id, bp, ap, normB, normA)
                        }
                    }
                }
            }
        }
    }
}
