#if canImport(COpenBLAS)
import COpenBLAS
#endif

/// Sets how many threads OpenBLAS may use; a no-op where BLAS is not OpenBLAS.
public func setBLASThreads(_ count: Int) {
    #if canImport(COpenBLAS)
    openblas_set_num_threads(Int32(count))
    #endif
}
