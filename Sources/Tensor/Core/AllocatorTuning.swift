#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc from returning large freed blocks to the kernel after every training step.
///
/// Each step allocates and frees the same large tensors (tens of MB). Above
/// glibc's mmap threshold those are mmapped and unmapped every time, and the
/// kernel zeroes fresh pages on each reuse: measured at about a quarter of an
/// LSTM training step. Raising the mmap threshold to its maximum (32 MB) and
/// the trim threshold to 1 GB lets the heap reuse them. Applied once, when the
/// first tape is created; `mallopt` is looked up at run time because it is not
/// part of the Glibc module. A no-op on other platforms.
let allocatorTuned: Void = {
    #if canImport(Glibc)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in malloc.h
    _ = mallopt(mmapThreshold, 32 << 20)
    _ = mallopt(trimThreshold, 1 << 30)
    #endif
}()
