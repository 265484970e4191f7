/// Errors opening or writing a workspace, each with a message that says what to do.
public enum WorkspaceError: Error, CustomStringConvertible, Equatable {
    /// No workspace exists at the path.
    case missing(path: String)
    /// The path holds a file that is not a Setlist workspace database.
    case foreign(path: String, detail: String)
    /// The workspace was written by a newer Setlist.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The same file was already imported into this workspace.
    case alreadyImported(file: String)
    /// SQLite reported an error.
    case database(String)

    public var description: String {
        switch self {
        case let .missing(path):
            "no workspace at \(path). Create one with `setlist generate --workspace \(path)` or `setlist import FILE --workspace \(path)`."
        case let .foreign(path, detail):
            "\(path) is not a Setlist workspace: \(detail)"
        case let .newerSchema(path, found, supported):
            "\(path) has schema version \(found), but this Setlist reads up to \(supported); upgrade Setlist"
        case let .alreadyImported(file):
            "\(file) has already been imported into this workspace (same path and size); pass --allow-duplicate to import it again"
        case let .database(message):
            "workspace database error: \(message)"
        }
    }
}
