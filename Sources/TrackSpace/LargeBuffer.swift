import Foundation

/// Allocation of the large flat buffers of the indices.
///
/// Buffers of several megabytes are aligned to 2 MiB and, on Linux, marked for
/// transparent huge pages: a search touches vectors all over a buffer of
/// hundreds of megabytes, and with 4 KiB pages nearly every touch is also a TLB
/// miss. Smaller buffers are aligned to a cache line. Free with `LargeBuffer.free`.
enum LargeBuffer {
    static let hugePage = 2 << 20

    /// Uninitialised memory for `count` values of `T`.
    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(count * MemoryLayout<T>.stride, 64)
        let alignment = bytes >= 2 * hugePage ? hugePage : 64
        let size = (bytes + alignment - 1) / alignment * alignment
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, alignment, size) == 0, let raw else {
            fatalError("out of memory allocating \(size) bytes")
        }
        #if os(Linux)
        if alignment == hugePage { _ = madvise(raw, size, Int32(MADV_HUGEPAGE)) }
        #endif
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// `count` values of `T`, all set to `value`.
    static func allocate<T>(repeating value: T, count: Int) -> UnsafeMutablePointer<T> {
        let pointer = allocate(T.self, count: count)
        pointer.initialize(repeating: value, count: count)
        return pointer
    }

    /// A larger buffer holding the first `kept` values of `pointer` and `fill` after them; frees `pointer`.
    static func grow<T>(_ pointer: UnsafeMutablePointer<T>, kept: Int, to total: Int, fill: T) -> UnsafeMutablePointer<T> {
        let fresh = allocate(T.self, count: total)
        fresh.moveInitialize(from: pointer, count: kept)
        (fresh + kept).initialize(repeating: fill, count: total - kept)
        free(pointer)
        return fresh
    }

    static func free<T>(_ pointer: UnsafeMutablePointer<T>) {
        Foundation.free(UnsafeMutableRawPointer(pointer))
    }
}
