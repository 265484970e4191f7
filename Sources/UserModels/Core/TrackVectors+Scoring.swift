import Tensor

extension TrackVectors {
    /// Dot products of each query with every track, row-major `queries.count × count`.
    ///
    /// One BLAS product per call: rank the catalogue for many queries at once. Track rows are unit
    /// (or zero), so for a fixed query the order is the cosine order.
    public func dotProducts(_ queries: [[Float]]) -> [Float] {
        guard !queries.isEmpty else { return [] }
        var flat: [Float] = []
        flat.reserveCapacity(queries.count * dimension)
        for query in queries {
            precondition(query.count == dimension, "query of length \(query.count) in a \(dimension)-d track space")
            flat.append(contentsOf: query)
        }
        let tape = Tape(isTraining: false)
        let q = tape.constant(Tensor(shape: [queries.count, dimension], scalars: flat))
        let t = tape.constant(Tensor(shape: [count, dimension], scalars: values))
        return q.matmul(t, transposeOther: true).value.scalars
    }
}
