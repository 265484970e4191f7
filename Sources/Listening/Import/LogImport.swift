import Foundation

/// Reads log files and stores them in a workspace: the whole of `setlist import`.
public struct LogImport {
    public var options: ImportOptions
    /// Import a file again even when the workspace already has it.
    public var allowDuplicate = false

    public init(options: ImportOptions) { self.options = options }

    /// The result of an import: one report per file and what was written.
    public struct Outcome: Sendable {
        public var reports: [ImportReport]
        public var written: WriteSummary
        public var firstTime: Int64?
        public var lastTime: Int64?

        /// Play times a listening log plausibly has: from 1990 to 2100 (Unix seconds).
        public static let plausibleTimes: ClosedRange<Int64> = 631_152_000...4_102_444_800

        /// Whether some play falls outside `plausibleTimes`: relative timestamps without
        /// `--time-origin`, milliseconds read as seconds, or a corrupt column.
        public var hasImplausibleTimes: Bool {
            guard let firstTime, let lastTime else { return false }
            return !Self.plausibleTimes.contains(firstTime) || !Self.plausibleTimes.contains(lastTime)
        }
    }

    /// Imports `files` into the workspace at `folder`, creating it when it does not exist.
    ///
    /// Either every file's good rows are stored or, on an error, nothing is.
    public func run(
        files: [String], workspace folder: String,
        progress: (@Sendable (_ file: String, _ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil
    ) throws -> Outcome {
        // From reading the vocabulary to committing, no other import may write here.
        try Workspace.whileLocked(folder) { try locked(files: files, workspace: folder, progress: progress) }
    }

    private func locked(
        files: [String], workspace folder: String, progress: (@Sendable (_ file: String, _ bytesRead: Int, _ totalBytes: Int) -> Void)?
    ) throws -> Outcome {
        let existing: Workspace? = Workspace.exists(at: folder) ? try Workspace(at: folder) : nil
        var log = try existing.map { ParsedLog(continuing: try $0.vocabulary()) } ?? ParsedLog()
        var reports: [ImportReport] = []
        var records: [ImportRecord] = []
        let reader = LogReader(options: options)
        for file in files {
            let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if let existing, !allowDuplicate, try existing.hasImported(path: absolute, size: size) {
                throw WorkspaceError.alreadyImported(file: file)
            }
            let report = try reader.read(file: file, into: &log) { read, total in progress?(file, read, total) }
            reports.append(report)
            records.append(
                ImportRecord(
                    path: absolute, size: size, format: report.format,
                    rowsRead: report.rowsRead, rowsRejected: report.rowsRejected))
        }
        let vocabulary = log.vocabulary
        var firstTime: Int64?
        var lastTime: Int64?
        let fill: (inout SessionWriter) throws -> Void = { writer in
            try log.forEachSession(gap: options.sessionGap, skipGap: options.skipGap) { session in
                firstTime = min(firstTime ?? session.start, session.start)
                lastTime = max(lastTime ?? session.start, session.plays.last?.time ?? session.start)
                try writer.append(session)
            }
        }
        let metadata = ["origin": "import", "formats": Set(reports.map(\.format.rawValue)).sorted().joined(separator: ",")]
        let written =
            try existing?.append(vocabulary: vocabulary, imports: records, fill)
            ?? Workspace.create(at: folder, vocabulary: vocabulary, metadata: metadata, imports: records, fill)
        return Outcome(reports: reports, written: written, firstTime: firstTime, lastTime: lastTime)
    }
}
