extension Tensor {
    /// The matrix product `op(self) · op(other)` through BLAS, outside any tape.
    ///
    /// For inference and search code that needs no gradient (e.g. scoring a
    /// batch of queries against a catalogue with `transposeOther: true`).
    /// `self` may have rank above 2 when not transposed; its leading axes are rows.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        let dimensions = MatrixProductShape(self.shape, other.shape, transposeSelf: transposeSelf, transposeOther: transposeOther)
        return Tensor.build(dimensions.outputShape) { c in
            withPointer { ap in
                other.withPointer { bp in
                    BLAS.gemm(
                        transA: transposeSelf, transB: transposeOther, m: dimensions.m, n: dimensions.n, k: dimensions.k,
                        a: ap, lda: dimensions.leftColumns, b: bp, ldb: other.shape[1], beta: 0, c: c, ldc: dimensions.n)
                }
            }
        }
    }
}

/// The checked dimensions of `op(A) · op(B)` with A flattened to rows when it has rank above 2.
struct MatrixProductShape {
    let m: Int, n: Int, k: Int
    /// Columns of A as stored (its leading dimension).
    let leftColumns: Int
    let outputShape: [Int]

    init(_ a: [Int], _ b: [Int], transposeSelf: Bool, transposeOther: Bool) {
        precondition(a.count >= 2 && b.count == 2, "matmul needs matrices, got \(a) and \(b)")
        precondition(!transposeSelf || a.count == 2, "transposeSelf needs a rank-2 left operand")
        let columns = a[a.count - 1], rows = a.reduce(1, *) / max(columns, 1)
        m = transposeSelf ? columns : rows
        k = transposeSelf ? rows : columns
        n = transposeOther ? b[0] : b[1]
        precondition(k == (transposeOther ? b[1] : b[0]), "matmul inner dimensions differ: \(a) and \(b)")
        leftColumns = columns
        outputShape = transposeSelf ? [m, n] : Array(a.dropLast()) + [n]
    }
}
