import Tensor

/// Padding and masks for a batch of variable-length sequences (one user a row, one session a step).
///
/// Rows are padded at the end to the longest row. `mask` is `[B, T]` with 1 at real steps
/// and 0 at padding, which is what `LSTM` and `Loss.cosineDistance` take.
public struct SequenceBatch: Sendable {
    /// The number of steps of each row.
    public let lengths: [Int]
    /// The padded length `T` (at least 1, so empty batches still have valid shapes).
    public let steps: Int
    /// `[B, T]`: 1 at real steps, 0 at padding.
    public let mask: Tensor

    /// A batch of rows with these lengths.
    public init(lengths: [Int]) {
        precondition(lengths.allSatisfy { $0 >= 0 }, "negative sequence length")
        self.lengths = lengths
        let steps = max(1, lengths.max() ?? 1)
        self.steps = steps
        var values = [Float](repeating: 0, count: lengths.count * steps)
        for (row, length) in lengths.enumerated() {
            for t in 0..<length { values[row * steps + t] = 1 }
        }
        mask = Tensor(shape: [lengths.count, steps], scalars: values)
    }

    /// The number of rows `B`.
    public var rows: Int { lengths.count }

    /// `[B, T, width]` from per-row flattened `steps × width` features; row r uses its first `lengths[r]` steps.
    public func pad(width: Int, _ row: (Int) -> UnsafeBufferPointer<Float>) -> Tensor {
        var values = [Float](repeating: 0, count: rows * steps * width)
        values.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                let source = row(r)
                let count = lengths[r] * width
                precondition(source.count >= count, "row \(r) has \(source.count) values, needs \(count)")
                guard count > 0, let base = source.baseAddress, let target = out.baseAddress else { continue }
                (target + r * steps * width).update(from: base, count: count)
            }
        }
        return Tensor(shape: [rows, steps, width], scalars: values)
    }

    /// `[B, T, width]` from per-row flattened arrays.
    public func pad(width: Int, rows source: [[Float]]) -> Tensor {
        precondition(source.count == rows, "one array per row")
        return source.withUnsafeBufferPointers { pad(width: width, $0) }
    }

    /// A `[B, T]` weight mask: 1 where the step is real and `include(row, step)` holds, else 0.
    ///
    /// Use it to score only some steps in the loss (validation sessions, sessions with a target).
    public func stepMask(_ include: (_ row: Int, _ step: Int) -> Bool) -> Tensor {
        var values = [Float](repeating: 0, count: rows * steps)
        for r in 0..<rows {
            for t in 0..<lengths[r] where include(r, t) { values[r * steps + t] = 1 }
        }
        return Tensor(shape: [rows, steps], scalars: values)
    }
}

extension Array where Element == [Float] {
    /// Calls `body` with a lookup from row index to that row's buffer (valid only inside `body`).
    func withUnsafeBufferPointers<R>(_ body: ((Int) -> UnsafeBufferPointer<Float>) -> R) -> R {
        // Arrays are contiguous; copying into one buffer avoids nested closures per row.
        var offsets: [Int] = [0]
        for row in self { offsets.append(offsets[offsets.count - 1] + row.count) }
        let flat = self.flatMap { $0 }
        return flat.withUnsafeBufferPointer { all in
            body { UnsafeBufferPointer(rebasing: all[offsets[$0]..<offsets[$0 + 1]]) }
        }
    }
}
