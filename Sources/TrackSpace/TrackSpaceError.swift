/// Why a track-space operation failed.
public enum TrackSpaceError: Error, Equatable, CustomStringConvertible {
    /// A search on an index that holds no vectors.
    case emptyIndex
    /// A vector or query whose length does not match the index or embedding dimension.
    case dimensionMismatch(expected: Int, found: Int)
    /// An index or embeddings file that is truncated, damaged or not ours.
    case corruptFile(path: String, reason: String)
    /// A file that could not be read or written.
    case io(path: String, reason: String)
    /// A word2vec text file that cannot be parsed.
    case invalidText(path: String, line: Int, reason: String)
    /// A track key the workspace does not know.
    case unknownTrack(String)
    /// A track that has no trained vector (too rare for min-count, or absent from the training data).
    case untrainedTrack(String)
    /// No embeddings of this dimension in the workspace.
    case missingEmbeddings(path: String, dimension: Int)
    /// No track reaches word2vec's minimum play count.
    case noTrackReachesMinCount(minCount: Int)
    /// An argument outside its valid range.
    case invalidArgument(String)
    /// Word2vec's updates grew the vectors past finite numbers (a learning rate far too high).
    case diverged(learningRate: Float)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .emptyIndex:
            return "the index is empty: add vectors before searching"
        case .dimensionMismatch(let expected, let found):
            return "dimension mismatch: expected vectors of \(expected) values, got \(found)"
        case .corruptFile(let path, let reason):
            return "\(path) is corrupt: \(reason)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .invalidText(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .unknownTrack(let key):
            return "unknown track '\(key)': no track with this key in the workspace"
        case .untrainedTrack(let key):
            return "track '\(key)' has no embedding (it is rarer than min-count or absent from the training sessions)"
        case .missingEmbeddings(let path, let dimension):
            return "no \(dimension)-d track embeddings at \(path)"
        case .noTrackReachesMinCount(let minCount):
            return "no track has min-count \(minCount) plays"
        case .diverged(let learningRate):
            return "word2vec diverged at learning rate \(learningRate): the track vectors are no longer finite numbers"
        case .invalidArgument(let reason):
            return reason
        }
    }
}
