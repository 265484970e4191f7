/// Weight, bias and input gradients of a fused recurrent layer from its gate gradients.
///
/// `gateGradients` `[B·T, G]` are the gradients of the input projections; the
/// recurrent projections use `recurrentGateGradients` when they differ (GRU), else the same.
func accumulateRecurrentGradients(
    tape: Tape, gateGradients: Tensor, gateWidth: Int, recurrentGateGradients: Tensor?,
    input: Variable, x: Tensor, weightIH: Variable, weightHH: Variable, biasIH: Variable, biasHH: Variable,
    previousHidden: () -> Tensor, shape: SequenceShape
) {
    let rows = shape.rows, n = shape.inputs, h = shape.hidden
    let recurrent = recurrentGateGradients ?? gateGradients
    gateGradients.withPointer { da in
        x.withPointer { xp in
            tape.accumulate(weightIH.id) { gw in
                BLAS.gemm(
                    transA: true, transB: false, m: gateWidth, n: n, k: rows,
                    a: da, lda: gateWidth, b: xp, ldb: n, beta: 1, c: gw, ldc: n)
            }
        }
        tape.accumulate(biasIH.id) { gb in addColumnSums(da, rows: rows, columns: gateWidth, into: gb) }
        weightIH.value.withPointer { wp in
            tape.accumulate(input.id) { gx in
                BLAS.gemm(
                    transA: false, transB: false, m: rows, n: n, k: gateWidth,
                    a: da, lda: gateWidth, b: wp, ldb: n, beta: 1, c: gx, ldc: n)
            }
        }
    }
    recurrent.withPointer { dr in
        if tape.needsGradient(weightHH) {
            let hPrev = previousHidden()
            hPrev.withPointer { hp in
                tape.accumulate(weightHH.id) { gw in
                    BLAS.gemm(
                        transA: true, transB: false, m: gateWidth, n: h, k: rows,
                        a: dr, lda: gateWidth, b: hp, ldb: h, beta: 1, c: gw, ldc: h)
                }
            }
        }
        tape.accumulate(biasHH.id) { gb in addColumnSums(dr, rows: rows, columns: gateWidth, into: gb) }
    }
}
