/// One search result: an item id and its cosine similarity to the query.
public struct Neighbour: Sendable, Hashable {
    /// The id the vector was added with (a track id for track indices).
    public var id: Int32
    /// Cosine similarity to the query, in [-1, 1]; larger is nearer.
    public var similarity: Float

    public init(id: Int32, similarity: Float) {
        self.id = id
        self.similarity = similarity
    }
}
