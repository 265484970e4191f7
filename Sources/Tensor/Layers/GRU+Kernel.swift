/// The fused GRU over a whole sequence (PyTorch formulation, gate order r, z, n):
/// r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr), z likewise,
/// n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
func gruSequence(
    input: Variable, mask: Tensor?, initialState: RecurrentState?,
    weightIH: Variable, weightHH: Variable, biasIH: Variable, biasHH: Variable
) -> RecurrentOutput {
    let tape = input.tape
    let x = input.value, wih = weightIH.value, whh = weightHH.value
    let h = whh.shape[1], g3 = 3 &* h
    let shape = SequenceShape(input: x, hidden: h, mask: mask)
    precondition(shape.steps > 0, "recurrent input needs at least one step")
    precondition(wih.shape == [g3, shape.inputs] && whh.shape == [g3, h], "GRU weights do not match input \(x.shape)")
    let batch = shape.batch, steps = shape.steps, rows = shape.rows
    let h0 = initialState?.hidden.value ?? .zeros([batch, h])
    precondition(h0.shape == [batch, h], "initial state must be [\(batch), \(h)]")

    // gates: input projections, overwritten in place by the activations r, z, n.
    var gates = Tensor.zeros([rows, g3])
    // The recurrent candidate projection h·W_hnᵀ + b_hn, which the backward pass needs.
    var candidate = Tensor.zeros([rows, h])
    var hs = Tensor.zeros([batch, steps, h])
    var projection = Tensor.zeros([batch, g3])
    gates.withMutablePointer { a in
        biasIH.value.withPointer { bi in
            for r in 0..<rows { (a + r &* g3).update(from: bi, count: g3) }
        }
        x.withPointer { xp in
            wih.withPointer { wp in
                BLAS.gemm(
                    transA: false, transB: true, m: rows, n: g3, k: shape.inputs,
                    a: xp, lda: shape.inputs, b: wp, ldb: shape.inputs, beta: 1, c: a, ldc: g3)
            }
        }
        hs.withMutablePointer { hp in
            candidate.withMutablePointer { np in
                projection.withMutablePointer { pp in
                    h0.withPointer { h0p in
                        whh.withPointer { wp in
                            biasHH.value.withPointer { bh in
                                for t in 0..<steps {
                                    let (hPrev, hStride) = previousRows(step: t, initial: h0p, states: hp, shape: shape)
                                    for b in 0..<batch { (pp + b &* g3).update(from: bh, count: g3) }
                                    BLAS.gemm(
                                        transA: false, transB: true, m: batch, n: g3, k: h,
                                        a: hPrev, lda: hStride, b: wp, ldb: h, beta: 1, c: pp, ldc: g3)
                                    for b in 0..<batch {
                                        let r = b &* steps &+ t
                                        let hIn = hPrev + b &* hStride, hOut = hp + r &* h
                                        if let mask, mask.scalars[r] == 0 {
                                            hOut.update(from: hIn, count: h)
                                            continue
                                        }
                                        gruCellForward(
                                            gates: a + r &* g3, projection: pp + b &* g3, candidate: np + r &* h,
                                            hidden: h, hiddenIn: hIn, hiddenOut: hOut)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    let output = maskedStates(hs, mask: mask, shape: shape)
    let finalHidden = stepRows(hs, step: steps &- 1, shape: shape)
    var inputs = [input, weightIH, weightHH, biasIH, biasHH]
    if let state = initialState { inputs.append(state.hidden) }
    let results = tape.record([output, finalHidden], inputs: inputs) { tape, grads in
        var dInput = Tensor.zeros([rows, g3]), dRecurrent = Tensor.zeros([rows, g3])
        var gh = grads[1] ?? .zeros([batch, h])
        let gy = grads[0]
        dInput.withMutablePointer { dx in
            dRecurrent.withMutablePointer { dr in
                gates.withPointer { a in
                    candidate.withPointer { np in
                        hs.withPointer { hp in
                            h0.withPointer { h0p in
                                whh.withPointer { wp in
                                    gh.withMutablePointer { ghp in
                                        for t in stride(from: steps &- 1, through: 0, by: -1) {
                                            let (hPrev, hStride) = previousRows(step: t, initial: h0p, states: hp, shape: shape)
                                            for b in 0..<batch {
                                                let r = b &* steps &+ t
                                                let ghRow = ghp + b &* h
                                                if let mask, mask.scalars[r] == 0 { continue }
                                                if let gy {
                                                    gy.withPointer { gyp in
                                                        let source = gyp + r &* h
                                                        for j in 0..<h { ghRow[j] += source[j] }
                                                    }
                                                }
                                                gruCellBackward(
                                                    gates: a + r &* g3, candidate: np + r &* h, hidden: h,
                                                    hiddenIn: hPrev + b &* hStride, inputGradients: dx + r &* g3,
                                                    recurrentGradients: dr + r &* g3, hiddenGradient: ghRow)
                                            }
                                            BLAS.gemm(
                                                transA: false, transB: false, m: batch, n: h, k: g3,
                                                a: dr + t &* g3, lda: steps &* g3, b: wp, ldb: h, beta: 1, c: ghp, ldc: h)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        accumulateRecurrentGradients(
            tape: tape, gateGradients: dInput, gateWidth: g3, recurrentGateGradients: dRecurrent,
            input: input, x: x, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH,
            previousHidden: { shiftedStates(hs, initial: h0, shape: shape) }, shape: shape)
        if let state = initialState { tape.accumulate(state.hidden.id, gh) }
    }
    return RecurrentOutput(output: results[0], state: RecurrentState(hidden: results[1]))
}

/// Applies the GRU gates for one row, saving r, z, n in `gates` and h·W_hnᵀ + b_hn in `candidate`.
// Not inlined: compiled on its own, the loop vectorises; inlined, it did not.
@inline(never)
func gruCellForward(
    gates a: UnsafeMutablePointer<Float>, projection p: UnsafePointer<Float>,
    candidate: UnsafeMutablePointer<Float>, hidden h: Int,
    hiddenIn: UnsafePointer<Float>, hiddenOut: UnsafeMutablePointer<Float>
) {
    let h2 = h &* 2
    for j in 0..<h {
        let r = FastMath.sigmoid(a[j] + p[j])
        let z = FastMath.sigmoid(a[h &+ j] + p[h &+ j])
        let hn = p[h2 &+ j]
        let n = FastMath.tanh(a[h2 &+ j] + r * hn)
        a[j] = r
        a[h &+ j] = z
        a[h2 &+ j] = n
        candidate[j] = hn
        hiddenOut[j] = (1 - z) * n + z * hiddenIn[j]
    }
}

/// One step of GRU backpropagation for one row; leaves the direct gradient on h_{t−1} in `hiddenGradient`.
// Not inlined: compiled on its own, the loop vectorises; inlined, it did not.
@inline(never)
func gruCellBackward(
    gates a: UnsafePointer<Float>, candidate: UnsafePointer<Float>, hidden h: Int,
    hiddenIn: UnsafePointer<Float>, inputGradients dx: UnsafeMutablePointer<Float>,
    recurrentGradients dr: UnsafeMutablePointer<Float>, hiddenGradient gh: UnsafeMutablePointer<Float>
) {
    let h2 = h &* 2
    for j in 0..<h {
        let r = a[j], z = a[h &+ j], n = a[h2 &+ j]
        let dh = gh[j]
        let dn = dh * (1 - z) * (1 - n * n)
        let dr0 = dn * candidate[j] * r * (1 - r)
        let dz = dh * (hiddenIn[j] - n) * z * (1 - z)
        dx[j] = dr0
        dx[h &+ j] = dz
        dx[h2 &+ j] = dn
        dr[j] = dr0
        dr[h &+ j] = dz
        dr[h2 &+ j] = dn * r
        gh[j] = dh * z
    }
}
