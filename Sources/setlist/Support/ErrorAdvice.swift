import Listening
import TrackSpace

/// Library errors with the command-line advice users see: the library says what went wrong, the
/// command line names the option or command that fixes it.
enum ErrorAdvice {
    /// `error` as one `CommandError` line with its advice, or unchanged when there is none.
    static func advised(_ error: any Error) -> any Error {
        // The mapping is the --map option's text: name the option, as the user typed it.
        if case ListeningError.invalidMapping(let problem) = error {
            return CommandError(problem == .missingRequiredFields ? "--map \(problem)" : "--map: \(problem)")
        }
        guard let advice = advice(for: error) else { return error }
        return CommandError("\(error)" + advice)
    }

    /// The words that follow the library's description, or nil when the error needs no advice.
    static func advice(for error: any Error) -> String? {
        switch error {
        case WorkspaceError.missing(let path):
            return ". Create one with `setlist generate --workspace \(path)` or `setlist import FILE --workspace \(path)`."
        case WorkspaceError.exists: return "; pass --replace to overwrite it, or import into it"
        case WorkspaceError.alreadyImported: return "; pass --allow-duplicate to import it again"
        case TrackSpaceError.missingEmbeddings(_, let dimension): return ": run `setlist embed --dimension \(dimension)` first"
        case TrackSpaceError.noTrackReachesMinCount: return "; lower --min-count"
        case TrackSpaceError.diverged: return "; lower --learning-rate (default 0.025)"
        case ListeningError.undetectedFormat: return "; pass --format " + LogFormat.allCases.map(\.rawValue).joined(separator: "|")
        case ListeningError.ambiguousDates: return "; pass --date-format"
        default: return nil
        }
    }
}
