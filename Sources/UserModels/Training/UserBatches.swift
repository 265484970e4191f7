import Tensor

/// Deterministic mini-batches of user indices: a fresh shuffle per epoch from `(seed, epoch)`.
///
/// The order depends only on the seed and the epoch number, so a run resumed from a
/// checkpoint at epoch e sees exactly the batches an uninterrupted run would.
public enum UserBatches {
    /// The batches of `count` users (indices `0..<count`) for `epoch`, each at most `batchSize` long.
    public static func shuffled(count: Int, batchSize: Int, seed: UInt64, epoch: Int) -> [[Int]] {
        precondition(batchSize > 0, "batch size must be positive")
        var order = Array(0..<count)
        // SplitMix-style mixing so neighbouring epochs do not get correlated streams.
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 0xBF58_476D_1CE4_E5B9 &+ 1)
        order.shuffle(using: &random)
        return inOrder(order, batchSize: batchSize)
    }

    /// `indices` cut into consecutive batches of at most `batchSize`, in the given order.
    public static func inOrder(_ indices: [Int], batchSize: Int) -> [[Int]] {
        precondition(batchSize > 0, "batch size must be positive")
        return stride(from: 0, to: indices.count, by: batchSize).map {
            Array(indices[$0..<min($0 + batchSize, indices.count)])
        }
    }

    /// Indices of `lengths` grouped for padded batches: longest first, each batch at most `batchSize`
    /// long and, unless a single sequence exceeds it, at most `stepBudget` padded steps.
    public static func byLength(_ lengths: [Int], batchSize: Int, stepBudget: Int) -> [[Int]] {
        precondition(batchSize > 0, "batch size must be positive")
        let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        var batches: [[Int]] = [], current: [Int] = []
        for index in order {
            // Sorted longest first, so the batch's padded length is its first sequence's.
            let padded = current.first.map { lengths[$0] } ?? lengths[index]
            if !current.isEmpty && (current.count == batchSize || (current.count + 1) * padded > stepBudget) {
                batches.append(current)
                current = []
            }
            current.append(index)
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
