extension Tensor {
    /// The element at a full multi-index (row-major), e.g. `t[b, i]`.
    public subscript(indices: Int...) -> Float {
        get { scalars[offset(of: indices)] }
        set { scalars[offset(of: indices)] = newValue }
    }

    /// The flat position of a full multi-index.
    func offset(of indices: [Int]) -> Int {
        precondition(indices.count == rank, "\(indices.count) indices for a rank-\(rank) tensor")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "index \(index) out of 0..<\(shape[axis]) on axis \(axis)")
            offset = offset * shape[axis] + index
        }
        return offset
    }
}
