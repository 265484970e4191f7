/// A row that was not imported: where it is and why.
public struct RejectedRow: Sendable, Hashable, CustomStringConvertible {
    /// File path as given.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// Short category used to count rejections, e.g. "wrong field count".
    public var category: String
    /// The full reason, for the person reading the log.
    public var reason: String

    public var description: String { "\(file):\(line): \(reason)" }
}

/// What importing one file did.
public struct ImportReport: Sendable {
    /// File path as given.
    public var file: String
    /// Format used.
    public var format: LogFormat
    /// Data rows read (header excluded).
    public var rowsRead = 0
    /// Rows imported.
    public var rowsImported = 0
    /// Rejected rows counted by category.
    public var rejectedByCategory: [String: Int] = [:]
    /// The first rejected rows in full (at most `ImportOptions.maxExamples`).
    public var examples: [RejectedRow] = []

    /// Number of rejected rows.
    public var rowsRejected: Int { rejectedByCategory.values.reduce(0, +) }

    mutating func reject(line: Int, category: String, reason: String, maxExamples: Int) {
        rejectedByCategory[category, default: 0] += 1
        if examples.count < maxExamples {
            examples.append(RejectedRow(file: file, line: line, category: category, reason: reason))
        }
    }
}

/// Options for reading logs.
public struct ImportOptions: Sendable {
    /// The format, or nil to detect it from the header.
    public var format: LogFormat?
    /// A new session starts after a gap of at least this many seconds (default 20 minutes).
    public var sessionGap: Int64 = 20 * 60
    /// A Last.fm play counts as skipped when the next play starts within this many seconds.
    public var skipGap: Int64 = 30
    /// Added to relative timestamps (JODIE), so hour and weekday can be anchored to a real date.
    public var timeOrigin: Int64 = 0
    /// The layout of MSSD dates; nil detects it from the first rows.
    public var dateLayout: DateLayout?
    /// Column mapping for `.csv`.
    public var mapping: ColumnMapping?
    /// Field delimiter for `.csv` (default comma).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// How many rejected rows to keep in full per file.
    public var maxExamples = 10
    /// Threads that parse one large file.
    public var threads = 2
    /// Files smaller than this many bytes are parsed on one thread.
    public var parallelThreshold = 32 << 20

    public init(format: LogFormat? = nil) { self.format = format }
}
