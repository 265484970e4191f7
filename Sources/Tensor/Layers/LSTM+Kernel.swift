/// The fused LSTM over a whole sequence (PyTorch gate order i, f, g, o).
///
/// Forward: one sgemm projects every step's input at once, then per step one
/// sgemm adds h·W_hhᵀ and a fused loop applies the gates. Backward runs the
/// recurrence in reverse with one sgemm per step, then computes all weight and
/// input gradients with three large sgemms.
func lstmSequence(
    input: Variable, mask: Tensor?, initialState: RecurrentState?,
    weightIH: Variable, weightHH: Variable, biasIH: Variable, biasHH: Variable
) -> RecurrentOutput {
    let tape = input.tape
    let x = input.value, wih = weightIH.value, whh = weightHH.value
    let h = whh.shape[1], g4 = 4 &* h
    let shape = SequenceShape(input: x, hidden: h, mask: mask)
    precondition(shape.steps > 0, "recurrent input needs at least one step")
    precondition(wih.shape == [g4, shape.inputs] && whh.shape == [g4, h], "LSTM weights do not match input \(x.shape)")
    let batch = shape.batch, steps = shape.steps, rows = shape.rows
    let h0 = initialState?.hidden.value ?? .zeros([batch, h])
    let c0 = initialState?.cell?.value ?? .zeros([batch, h])
    precondition(h0.shape == [batch, h] && c0.shape == [batch, h], "initial state must be [\(batch), \(h)]")

    // gates: pre-activations, overwritten in place by the activations i, f, g, o.
    var gates = Tensor.zeros([rows, g4])
    var hs = Tensor.zeros([batch, steps, h]), cs = Tensor.zeros([batch, steps, h])
    gates.withMutablePointer { a in
        biasIH.value.withPointer { bi in
            biasHH.value.withPointer { bh in
                for r in 0..<rows {
                    let row = a + r &* g4
                    for j in 0..<g4 { row[j] = bi[j] + bh[j] }
                }
            }
        }
        x.withPointer { xp in
            wih.withPointer { wp in
                BLAS.gemm(
                    transA: false, transB: true, m: rows, n: g4, k: shape.inputs,
                    a: xp, lda: shape.inputs, b: wp, ldb: shape.inputs, beta: 1, c: a, ldc: g4)
            }
        }
        hs.withMutablePointer { hp in
            cs.withMutablePointer { cp in
                h0.withPointer { h0p in
                    c0.withPointer { c0p in
                        whh.withPointer { wp in
                            for t in 0..<steps {
                                let (hPrev, hStride) = previousRows(step: t, initial: h0p, states: hp, shape: shape)
                                let (cPrev, _) = previousRows(step: t, initial: c0p, states: cp, shape: shape)
                                BLAS.gemm(
                                    transA: false, transB: true, m: batch, n: g4, k: h,
                                    a: hPrev, lda: hStride, b: wp, ldb: h, beta: 1, c: a + t &* g4, ldc: steps &* g4)
                                for b in 0..<batch {
                                    let r = b &* steps &+ t
                                    let hOut = hp + r &* h, cOut = cp + r &* h
                                    let hIn = hPrev + b &* hStride, cIn = cPrev + b &* hStride
                                    if let mask, mask.scalars[r] == 0 {
                                        hOut.update(from: hIn, count: h)
                                        cOut.update(from: cIn, count: h)
                                        continue
                                    }
                                    lstmCellForward(gates: a + r &* g4, hidden: h, cellIn: cIn, cellOut: cOut, hiddenOut: hOut)
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
    let finalCell = stepRows(cs, step: steps &- 1, shape: shape)
    var inputs = [input, weightIH, weightHH, biasIH, biasHH]
    if let state = initialState {
        inputs.append(state.hidden)
        if let cell = state.cell { inputs.append(cell) }
    }
    let results = tape.record([output, finalHidden, finalCell], inputs: inputs) { tape, grads in
        var dGates = Tensor.zeros([rows, g4])
        var gh = grads[1] ?? .zeros([batch, h]), gc = grads[2] ?? .zeros([batch, h])
        let gy = grads[0]
        dGates.withMutablePointer { da in
            gates.withPointer { a in
                cs.withPointer { cp in
                    c0.withPointer { c0p in
                        whh.withPointer { wp in
                            gh.withMutablePointer { ghp in
                                gc.withMutablePointer { gcp in
                                    for t in stride(from: steps &- 1, through: 0, by: -1) {
                                        let (cPrev, cStride) = previousRows(step: t, initial: c0p, states: cp, shape: shape)
                                        for b in 0..<batch {
                                            let r = b &* steps &+ t
                                            let ghRow = ghp + b &* h, gcRow = gcp + b &* h
                                            if let mask, mask.scalars[r] == 0 { continue }  // State passed through untouched.
                                            if let gy {
                                                gy.withPointer { gyp in
                                                    let source = gyp + r &* h
                                                    for j in 0..<h { ghRow[j] += source[j] }
                                                }
                                            }
                                            lstmCellBackward(
                                                gates: a + r &* g4, gateGradients: da + r &* g4, hidden: h,
                                                cell: cp + r &* h, cellIn: cPrev + b &* cStride,
                                                hiddenGradient: ghRow, cellGradient: gcRow)
                                        }
                                        // gh ← gh + dA_t · W_hh (masked rows have dA = 0 and keep their carried gradient).
                                        BLAS.gemm(
                                            transA: false, transB: false, m: batch, n: h, k: g4,
                                            a: da + t &* g4, lda: steps &* g4, b: wp, ldb: h, beta: 1, c: ghp, ldc: h)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        accumulateRecurrentGradients(
            tape: tape, gateGradients: dGates, gateWidth: g4, recurrentGateGradients: nil,
            input: input, x: x, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH,
            previousHidden: { shiftedStates(hs, initial: h0, shape: shape) }, shape: shape)
        if let state = initialState {
            tape.accumulate(state.hidden.id, gh)
            if let cell = state.cell { tape.accumulate(cell.id, gc) }
        }
    }
    return RecurrentOutput(output: results[0], state: RecurrentState(hidden: results[1], cell: results[2]))
}

/// Applies the LSTM gate activations in place and writes the new cell and hidden rows.
// Not inlined: compiled on its own, the loop vectorises; inlined, it did not.
@inline(never)
func lstmCellForward(
    gates a: UnsafeMutablePointer<Float>, hidden h: Int,
    cellIn: UnsafePointer<Float>, cellOut: UnsafeMutablePointer<Float>, hiddenOut: UnsafeMutablePointer<Float>
) {
    let h2 = h &* 2, h3 = h &* 3
    for j in 0..<h {
        let i = FastMath.sigmoid(a[j])
        let f = FastMath.sigmoid(a[h &+ j])
        let g = FastMath.tanh(a[h2 &+ j])
        let o = FastMath.sigmoid(a[h3 &+ j])
        a[j] = i
        a[h &+ j] = f
        a[h2 &+ j] = g
        a[h3 &+ j] = o
        let c = f * cellIn[j] + i * g
        cellOut[j] = c
        hiddenOut[j] = o * FastMath.tanh(c)
    }
}

/// One step of LSTM backpropagation for one row.
///
/// On entry `hiddenGradient`/`cellGradient` hold the gradients on h_t and c_t; on
/// exit the cell gradient is the one on c_{t−1} and the hidden gradient is zero,
/// ready for the recurrent sgemm to add dA · W_hh.
// Not inlined: compiled on its own, the loop vectorises; inlined, it did not.
@inline(never)
func lstmCellBackward(
    gates a: UnsafePointer<Float>, gateGradients da: UnsafeMutablePointer<Float>, hidden h: Int,
    cell: UnsafePointer<Float>, cellIn: UnsafePointer<Float>,
    hiddenGradient gh: UnsafeMutablePointer<Float>, cellGradient gc: UnsafeMutablePointer<Float>
) {
    let h2 = h &* 2, h3 = h &* 3
    for j in 0..<h {
        let i = a[j], f = a[h &+ j], g = a[h2 &+ j], o = a[h3 &+ j]
        let tc = FastMath.tanh(cell[j])
        let dh = gh[j]
        let dc = gc[j] + dh * o * (1 - tc * tc)
        da[j] = dc * g * i * (1 - i)
        da[h &+ j] = dc * cellIn[j] * f * (1 - f)
        da[h2 &+ j] = dc * i * (1 - g * g)
        da[h3 &+ j] = dh * tc * o * (1 - o)
        gc[j] = dc * f
        gh[j] = 0
    }
}
