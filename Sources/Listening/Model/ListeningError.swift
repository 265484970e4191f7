/// Errors of the listening layer, each with a message meant for the person at the terminal.
public enum ListeningError: Error, CustomStringConvertible, Equatable {
    /// A file could not be opened or read.
    case cannotOpen(path: String, reason: String)
    /// A file has no rows at all.
    case emptyFile(path: String)
    /// A file's header does not match the format asked for, or no format could be detected.
    case unrecognizedFormat(path: String, detail: String)
    /// The header lacks a column the format needs.
    case missingColumn(path: String, column: String, header: String)
    /// A file had rows but none could be imported.
    case noValidRows(path: String, rejected: Int, firstReason: String)
    /// A command-line option is malformed.
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open \(path): \(reason)"
        case let .emptyFile(path):
            "\(path) is empty: there is nothing to import"
        case let .unrecognizedFormat(path, detail):
            "\(path): \(detail)"
        case let .missingColumn(path, column, header):
            "\(path):1: the header has no column '\(column)' (header: \(header))"
        case let .noValidRows(path, rejected, firstReason):
            "\(path): none of its \(rejected) rows could be imported; the first was rejected because \(firstReason)"
        case let .invalidOption(message):
            message
        }
    }
}
