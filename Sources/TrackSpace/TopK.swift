/// The k largest similarities seen so far, best first; ties keep the earlier item.
struct TopK {
    let k: Int
    private(set) var similarities: [Float] = []
    private(set) var ids: [Int32] = []

    init(k: Int) {
        self.k = k
        similarities.reserveCapacity(k + 1)
        ids.reserveCapacity(k + 1)
    }

    /// The similarity an item must beat to enter (−∞ until k items are held).
    var threshold: Float { similarities.count < k ? -.infinity : similarities[similarities.count - 1] }

    /// Offers an item; keeps it when it is among the k best.
    @inline(__always)
    mutating func offer(_ similarity: Float, _ id: Int32) {
        guard k > 0, similarity > threshold else { return }
        var position = similarities.count
        while position > 0, similarities[position - 1] < similarity { position -= 1 }
        similarities.insert(similarity, at: position)
        ids.insert(id, at: position)
        if similarities.count > k {
            similarities.removeLast()
            ids.removeLast()
        }
    }

    /// The kept items, best first.
    var neighbours: [Neighbour] {
        (0..<ids.count).map { Neighbour(id: ids[$0], similarity: similarities[$0]) }
    }
}
