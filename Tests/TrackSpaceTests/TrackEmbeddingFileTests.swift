import Testing
import TrackSpace

@Suite struct TrackEmbeddingFileTests {
    @Test func dimensionsHaveTheirOwnFiles() {
        #expect(TrackEmbeddingFile.path(in: "/w", dimension: 40) == "/w/tracks-40d.safetensors")
        #expect(TrackEmbeddingFile.path(in: "/w", dimension: 40) != TrackEmbeddingFile.path(in: "/w", dimension: 80))
    }
}
