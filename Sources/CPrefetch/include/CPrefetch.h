#ifndef SETLIST_CPREFETCH_H
#define SETLIST_CPREFETCH_H

/// Software prefetch, which Swift has no intrinsic for. Static inline, so the
/// Swift compiler inlines each call into a single prefetch instruction.

/// Asks for the cache line holding `address` (read, keep in all cache levels).
static inline __attribute__((always_inline)) void setlist_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Asks for the cache line holding `address` ahead of a write.
static inline __attribute__((always_inline)) void setlist_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
