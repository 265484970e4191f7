/// An error writing a session log.
public enum SessionLogWriteError: Error, CustomStringConvertible, Equatable {
    /// The temporary file could not be created.
    case cannotCreate(path: String, reason: String)
    /// Writing, syncing or renaming failed.
    case writeFailed(path: String, reason: String)
    /// A session refers to a user or track the vocabulary does not have.
    case unknownIndex(kind: String, index: Int)
    /// `append` or `finish` was called after `finish`.
    case alreadyFinished(path: String)

    /// A message for the person at the terminal.
    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        case .unknownIndex(let kind, let index): "session refers to \(kind) \(index), which the vocabulary lacks"
        case .alreadyFinished(let path): "\(path) was already finished"
        }
    }
}
