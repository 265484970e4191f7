#if canImport(COpenBLAS)
import COpenBLAS
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The OpenBLAS thread count applied before the first matrix product.
///
/// Our matrices are small (a few hundred rows), so OpenBLAS's default of one
/// thread per core mostly buys synchronisation overhead and competes with the
/// caller's own threads. Two threads is the measured sweet spot on small
/// machines; call `setBLASThreads(_:)` to choose another count. An explicit
/// `OPENBLAS_NUM_THREADS` in the environment wins over this default.
public let defaultBLASThreads = 2

/// Sets how many threads OpenBLAS may use; a no-op where BLAS is not OpenBLAS.
public func setBLASThreads(_ count: Int) {
    // Touch the default first so it can never run later and override this call.
    _ = blasDefaultThreadsApplied
    applyBLASThreads(count)
}

/// Applies `defaultBLASThreads` exactly once (Swift globals initialise lazily and atomically).
let blasDefaultThreadsApplied: Void = {
    if getenv("OPENBLAS_NUM_THREADS") == nil { applyBLASThreads(defaultBLASThreads) }
}()

@inline(__always)
func applyBLASThreads(_ count: Int) {
    #if canImport(COpenBLAS)
    openblas_set_num_threads(Int32(max(1, count)))
    #endif
}

/// The number of threads OpenBLAS currently uses (1 where BLAS is not OpenBLAS).
public func currentBLASThreads() -> Int {
    _ = blasDefaultThreadsApplied
    #if canImport(COpenBLAS)
    return Int(openblas_get_num_threads())
    #else
    return 1
    #endif
}
