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
        // Two 8-wide accumulators; explicit SIMD, since the compiler vectorises a scalar reduction poorly.
        let ra = UnsafeRawPointer(a)
        let rb = UnsafeRawPointer(b)
        var acc0 = SIMD8<Float>()
        var acc1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= n {
            acc0 +=
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            acc1 +=
                ra.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self)
            i &+= 16
        }
        if i &+ 8 <= n {
            acc0 +=
                ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        var sum = (acc0 + acc1).sum()
        while i < n {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
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
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }
}
