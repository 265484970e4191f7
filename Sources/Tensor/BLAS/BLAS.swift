#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

/// Thin internal wrappers over CBLAS, row-major, so call sites read like the maths.
enum BLAS {
    /// C = alpha * op(A) * op(B) + beta * C, with op(A) m×k and op(B) k×n (row-major).
    @inline(__always)
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        _ = blasDefaultThreadsApplied
        guard k > 0 else {
            // BLAS may skip scaling C when k == 0; do it by hand so the result is defined.
            for row in 0..<m {
                let rowPointer = c + row &* ldc
                for column in 0..<n { rowPointer[column] = beta == 0 ? 0 : beta * rowPointer[column] }
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = alpha * op(A) * x + beta * y, where A is rows×columns (row-major).
    @inline(__always)
    static func gemv(
        trans: Bool, rows: Int, columns: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        guard rows > 0, columns > 0 else { return }
        _ = blasDefaultThreadsApplied
        cblas_sgemv(
            CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
            alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}
