import Explorer
import TrackSpace

/// The explorer's neighbour search backed by an HNSW index, for catalogues too large to scan per keystroke.
final class HNSWSearch: NeighbourSearch {
    // Not Sendable: a search reuses the index's scratch buffers, so one thread at a time.
    private let index: HNSWIndex

    init(index: HNSWIndex) { self.index = index }

    func nearest(_ query: [Float], k: Int) -> [ScoredTrack] {
        ((try? index.search(query, k: k)) ?? []).map { ScoredTrack(track: $0.id, score: $0.similarity) }
    }
}
