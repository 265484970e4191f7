extension Variable {
    /// The matrix product `op(self) · op(other)` through BLAS.
    ///
    /// `self` may have rank above 2 when not transposed; its leading axes are
    /// treated as rows (`[B, T, k] · [k, n] → [B, T, n]`). A rank-1 `other`
    /// is a vector and uses `sgemv`.
    public func matmul(_ other: Variable, transposeSelf: Bool = false, transposeOther: Bool = false) -> Variable {
        precondition(tape === other.tape, "operands from different tapes")
        let a = value, b = other.value
        if b.rank == 1 { return matrixVector(other, transposed: transposeSelf) }
        let dimensions = MatrixProductShape(a.shape, b.shape, transposeSelf: transposeSelf, transposeOther: transposeOther)
        let (m, n, k, aColumns) = (dimensions.m, dimensions.n, dimensions.k, dimensions.leftColumns)
        let result = a.matmul(b, transposeSelf: transposeSelf, transposeOther: transposeOther)
        return tape.record(result, inputs: [self, other]) { tape, g in
            g.withPointer { gp in
                a.withPointer { ap in
                    b.withPointer { bp in
                        // d op(A) = dC · op(B)ᵀ and d op(B) = op(A)ᵀ · dC, un-transposed into storage order.
                        tape.accumulate(self.id) { ga in
                            if transposeSelf {
                                BLAS.gemm(
                                    transA: transposeOther, transB: true, m: k, n: m, k: n,
                                    a: bp, lda: b.shape[1], b: gp, ldb: n, beta: 1, c: ga, ldc: m)
                            } else {
                                BLAS.gemm(
                                    transA: false, transB: !transposeOther, m: m, n: k, k: n,
                                    a: gp, lda: n, b: bp, ldb: b.shape[1], beta: 1, c: ga, ldc: k)
                            }
                        }
                        tape.accumulate(other.id) { gb in
                            if transposeOther {
                                BLAS.gemm(
                                    transA: true, transB: transposeSelf, m: n, n: k, k: m,
                                    a: gp, lda: n, b: ap, ldb: aColumns, beta: 1, c: gb, ldc: k)
                            } else {
                                BLAS.gemm(
                                    transA: !transposeSelf, transB: false, m: k, n: n, k: m,
                                    a: ap, lda: aColumns, b: gp, ldb: n, beta: 1, c: gb, ldc: n)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `op(self) · vector` through `sgemv`.
    private func matrixVector(_ vector: Variable, transposed: Bool) -> Variable {
        let a = value, x = vector.value
        precondition(a.rank == 2, "matrix-vector product needs a matrix, got \(a.shape)")
        let rows = a.shape[0], columns = a.shape[1]
        let outCount = transposed ? columns : rows
        precondition(x.count == (transposed ? rows : columns), "matrix \(a.shape) times vector \(x.shape)")
        let result = Tensor.build([outCount]) { y in
            a.withPointer { ap in
                x.withPointer { xp in
                    BLAS.gemv(trans: transposed, rows: rows, columns: columns, a: ap, lda: columns, x: xp, beta: 0, y: y)
                }
            }
        }
        return tape.record(result, inputs: [self, vector]) { tape, g in
            g.withPointer { gp in
                x.withPointer { xp in
                    // dA is an outer product: g·xᵀ (or x·gᵀ when transposed), as a k = 1 gemm.
                    tape.accumulate(self.id) { ga in
                        let (left, right) = transposed ? (xp, gp) : (gp, xp)
                        BLAS.gemm(
                            transA: false, transB: false, m: rows, n: columns, k: 1,
                            a: left, lda: 1, b: right, ldb: columns, beta: 1, c: ga, ldc: columns)
                    }
                }
                a.withPointer { ap in
                    tape.accumulate(vector.id) { gx in
                        BLAS.gemv(trans: !transposed, rows: rows, columns: columns, a: ap, lda: columns, x: gp, beta: 1, y: gx)
                    }
                }
            }
        }
    }

    /// An affine map `self · weightᵀ + bias` over the last axis (PyTorch `Linear` layout).
    ///
    /// `weight` is `[out, in]`; `bias`, if any, is `[out]`. Fused so the bias is the
    /// initial value of the product and its gradient is a column sum.
    public func linear(weight: Variable, bias: Variable?) -> Variable {
        let x = value, w = weight.value
        precondition(w.rank == 2 && x.shape.last == w.shape[1], "linear: input \(x.shape), weight \(w.shape)")
        let inputs = w.shape[1], outputs = w.shape[0], rows = x.count / max(inputs, 1)
        let b = bias?.value
        if let b { precondition(b.shape == [outputs], "linear: bias \(b.shape), expected [\(outputs)]") }
        let result = Tensor.build(Array(x.shape.dropLast()) + [outputs]) { y in
            if let b {
                b.withPointer { bp in
                    for row in 0..<rows { (y + row &* outputs).update(from: bp, count: outputs) }
                }
            }
            x.withPointer { xp in
                w.withPointer { wp in
                    BLAS.gemm(
                        transA: false, transB: true, m: rows, n: outputs, k: inputs,
                        a: xp, lda: inputs, b: wp, ldb: inputs, beta: b == nil ? 0 : 1, c: y, ldc: outputs)
                }
            }
        }
        let allInputs = [self, weight] + (bias.map { [$0] } ?? [])
        return tape.record(result, inputs: allInputs) { tape, g in
            g.withPointer { gp in
                w.withPointer { wp in
                    tape.accumulate(self.id) { gx in
                        BLAS.gemm(
                            transA: false, transB: false, m: rows, n: inputs, k: outputs,
                            a: gp, lda: outputs, b: wp, ldb: inputs, beta: 1, c: gx, ldc: inputs)
                    }
                }
                x.withPointer { xp in
                    tape.accumulate(weight.id) { gw in
                        BLAS.gemm(
                            transA: true, transB: false, m: outputs, n: inputs, k: rows,
                            a: gp, lda: outputs, b: xp, ldb: inputs, beta: 1, c: gw, ldc: inputs)
                    }
                }
                if let bias {
                    tape.accumulate(bias.id) { gb in addColumnSums(gp, rows: rows, columns: outputs, into: gb) }
                }
            }
        }
    }
}

/// Adds the column sums of a row-major `rows × columns` matrix into `target`.
@inline(__always)
func addColumnSums(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
    for row in 0..<rows {
        let rowPointer = source + row &* columns
        for column in 0..<columns { target[column] += rowPointer[column] }
    }
}
