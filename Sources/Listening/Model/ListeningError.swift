/// Errors of the listening layer, each with a message meant for the person at the terminal.
public enum ListeningError: Error, CustomStringConvertible, Equatable {
    /// A file could not be opened or read.
    case cannotOpen(path: String, reason: String)
    /// A file has no rows at all.
    case emptyFile(path: String)
    /// A file's header does not match the format asked for.
    case unrecognizedFormat(path: String, detail: String)
    /// No format could be detected from the file's first line.
    case undetectedFormat(path: String, firstLine: String)
    /// Several date layouts read the sampled dates equally well (days and months both ≤ 12).
    case ambiguousDates(path: String, example: String, layouts: [DateLayout])
    /// A generic delimited file was given without the columns of user, track and time.
    case csvNeedsMapping
    /// The text of a column mapping (`ColumnMapping(parsing:)`) cannot be used.
    case invalidMapping(ColumnMapping.Problem)
    /// The header lacks a column the format needs.
    case missingColumn(path: String, column: String, header: String)
    /// A file had rows but none could be imported.
    case noValidRows(path: String, rejected: Int, firstReason: String)
    /// A command-line option is malformed.
    case invalidOption(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open \(path): \(reason)"
        case .emptyFile(let path):
            "\(path) is empty: there is nothing to import"
        case .unrecognizedFormat(let path, let detail):
            "\(path): \(detail)"
        case .undetectedFormat(let path, let firstLine):
            "\(path): cannot tell the format from the first line (\((firstLine.count > 100 ? String(firstLine.prefix(97)) + "..." : firstLine).debugDescription))"
        case .ambiguousDates(let path, let example, let layouts):
            "\(path): " + DateLayoutError.ambiguous(example: example, layouts: layouts).description
        case .invalidMapping(let problem):
            problem == .missingRequiredFields ? "a column mapping \(problem)" : "column mapping: \(problem)"
        case .csvNeedsMapping:
            "a generic delimited file needs the columns of user, track and time"
        case .missingColumn(let path, let column, let header):
            "\(path):1: the header has no column '\(column)' (header: \(header))"
        case .noValidRows(let path, let rejected, let firstReason):
            "\(path): none of its \(rejected) rows could be imported; the first was rejected because \(firstReason)"
        case .invalidOption(let message):
            message
        }
    }
}
