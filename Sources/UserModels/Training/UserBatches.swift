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
}
