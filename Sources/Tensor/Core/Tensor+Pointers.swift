/// A valid address for kernels handed an empty tensor; they never dereference it.
nonisolated(unsafe) let emptyScalarAddress = UnsafeMutablePointer<Float>.allocate(capacity: 1)

extension Tensor {
    /// Calls `body` with the base address of the elements (never nil, even when empty).
    @inline(__always)
    func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer { buffer in
            try body(buffer.baseAddress ?? UnsafePointer(emptyScalarAddress))
        }
    }

    /// Calls `body` with the mutable base address of the elements (never nil, even when empty).
    @inline(__always)
    mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { buffer in
            try body(buffer.baseAddress ?? emptyScalarAddress)
        }
    }

    /// A tensor of `shape` whose elements `body` writes; the storage starts zeroed.
    @inline(__always)
    static func build(_ shape: [Int], _ body: (UnsafeMutablePointer<Float>) throws -> Void) rethrows -> Tensor {
        var result = Tensor.zeros(shape)
        try result.withMutablePointer(body)
        return result
    }

    /// Adds `other` (same element count) into `self`.
    mutating func add(_ other: Tensor) {
        precondition(count == other.count, "adding \(other.shape) into \(shape)")
        let n = count
        other.withPointer { source in
            withMutablePointer { target in
                for index in 0..<n { target[index] += source[index] }
            }
        }
    }
}

extension Tensor {
    /// A tensor of the same shape with `transform` applied to each element.
    func map(_ transform: (Float) -> Float) -> Tensor {
        let n = count
        return withPointer { x in
            Tensor.build(shape) { out in for i in 0..<n { out[i] = transform(x[i]) } }
        }
    }
}
