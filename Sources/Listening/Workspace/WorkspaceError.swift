/// Errors opening or writing a workspace; the cases carry the data, and the command line adds the advice.
public enum WorkspaceError: Error, CustomStringConvertible, Equatable {
    /// No workspace exists at the path.
    case missing(path: String)
    /// A new workspace was asked for at a path that already holds files.
    case exists(path: String)
    /// The path holds a file that is not a Setlist workspace database.
    case foreign(path: String, detail: String)
    /// The workspace was written by a newer Setlist.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The same file was already imported into this workspace.
    case alreadyImported(file: String)
    /// Another process holds the workspace's writer lock (`pid` when it is known).
    case busy(path: String, pid: Int32?)
    /// SQLite reported an error.
    case database(String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no workspace at \(path)"
        case .exists(let path):
            "\(path) already exists"
        case .foreign(let path, let detail):
            "\(path) is not a Setlist workspace: \(detail)"
        case .newerSchema(let path, let found, let supported):
            "\(path) has schema version \(found), but this Setlist reads up to \(supported); upgrade Setlist"
        case .alreadyImported(let file):
            "\(file) has already been imported into this workspace (same path and size)"
        case .busy(let path, let pid):
            "busy: another setlist process\(pid.map { " (PID \($0))" } ?? "") is writing \(path); try again when it has finished"
        case .database(let message):
            "workspace database error: \(message)"
        }
    }
}
