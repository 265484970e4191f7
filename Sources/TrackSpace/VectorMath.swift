#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

/// Small vector kernels shared by the indices and the trainer.
enum VectorMath {
    /// The dot product of two vectors of length `n`.
    ///
    /// Debug builds call BLAS, which is compiled with optimisation: an unoptimised
    /// Swift loop is about ten times slower, and the 100k-vector tests run in debug.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        #if DEBUG
        return cblas_sdot(Int32(n), a, 1, b, 1)
        #else
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
        var i = 0
        while i &+ 8 <= n {
            s0 += a[i] * b[i]
            s1 += a[i &+ 1] * b[i &+ 1]
            s2 += a[i &+ 2] * b[i &+ 2]
            s3 += a[i &+ 3] * b[i &+ 3]
            s4 += a[i &+ 4] * b[i &+ 4]
            s5 += a[i &+ 5] * b[i &+ 5]
            s6 += a[i &+ 6] * b[i &+ 6]
            s7 += a[i &+ 7] * b[i &+ 7]
            i &+= 8
        }
        while i < n {
            s0 += a[i] * b[i]
            i &+= 1
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        #endif
    }

    /// Scales `v` to unit length in place; a zero vector stays zero.
    @inline(__always)
    static func normalize(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
        let norm = cblas_snrm2(Int32(n), v, 1)
        guard norm > 0, norm.isFinite else { return }
        cblas_sscal(Int32(n), 1 / norm, v, 1)
    }

    /// C = A × Bᵀ for row-major A (m×k) and B (n×k), C (m×n).
    static func productTransposed(
        _ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, width k: Int,
        into c: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }
}
