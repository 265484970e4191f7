import ArgumentParser
import Foundation
import Listening

/// `setlist import`: read listening logs into a workspace.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import listening logs into a workspace (created if missing).",
        discussion: """
            Formats (detected from the first line when --format is not given):

            \(LogFormat.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n\n"))

            Sessions are cut at gaps of --session-gap minutes (logs with session ids keep theirs). A malformed row is reported with file, line and reason and the rest is imported; the import is all or nothing for the workspace. A summary follows: rows read, rejected rows by reason, users, tracks, sessions and time span.

            Example of a generic CSV:
              setlist import plays.csv --format csv --map user=uid,track=song,time=ts,skip=skipped
            """)

    @Argument(help: "Log files to import.", completion: .file())
    var files: [String]

    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "Log format: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: detect).")
    var format: LogFormat?

    @Option(
        help: ArgumentHelp(
            "Column mapping for --format csv.",
            valueName:
                "user=COL,track=COL,time=COL[,skip=COL,played=COL,device=COL,source=COL,session=COL,name=COL,artist=COL,time-unit=ms]"))
    var map: String?

    @Option(help: "Field delimiter for --format csv: a character, or 'tab'.")
    var delimiter = ","

    @Option(help: "Minutes of silence that end a session.")
    var sessionGap: Double = 20

    @Option(help: "Unix time added to relative timestamps (JODIE), so hour and weekday fall on real dates.")
    var timeOrigin: Int64 = 0
    @Option(
        help: ArgumentHelp(
            "Layout of MSSD dates and of `csv --map` dates with an optional HH:MM[:SS] time: \(DateLayout.allCases.map(\.rawValue).joined(separator: ", ")) (default: detect from the first rows).",
            valueName: "layout"))
    var dateFormat: DateLayout?

    @Flag(help: "Import a file again even if this workspace already has it.")
    var allowDuplicate = false

    @Option(help: "Rejected rows to show in full per file.")
    var showRejected = 10

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one log file") }
        // A year of minutes at most: the gap is stored in seconds as a 64-bit integer.
        guard sessionGap > 0, sessionGap <= 525_600 else {
            throw ValidationError("--session-gap must be between 0 and 525600 minutes (a year)")
        }
        // Timestamps are Unix seconds; an origin beyond year 2100 would overflow relative times.
        guard (0...4_102_444_800).contains(timeOrigin) else {
            throw ValidationError("--time-origin must be a Unix time between 0 and 4102444800 (2100-01-01)")
        }
        guard delimiter == "tab" || delimiter.utf8.count == 1 else {
            throw ValidationError("--delimiter must be one ASCII character or 'tab'")
        }
    }

    func options() throws -> ImportOptions {
        var options = ImportOptions(format: format)
        options.sessionGap = Int64(sessionGap * 60)
        options.timeOrigin = timeOrigin
        options.dateLayout = dateFormat
        options.mapping = try map.map(ColumnMapping.init(parsing:))
        options.delimiter = delimiter == "tab" ? 9 : delimiter.utf8.first ?? UInt8(ascii: ",")
        options.maxExamples = max(0, showRejected)
        if format == .csv, options.mapping == nil { throw ValidationError("--format csv needs --map") }
        return options
    }

    func run() throws {
        var importer = LogImport(options: try options())
        importer.allowDuplicate = allowDuplicate
        let started = Date()
        let bars = FileProgressBars()
        let outcome = try importer.run(files: files, workspace: workspaceOption.path) { file, read, total in
            bars.report(file: file, read: read, total: total)
        }
        print(Self.render(outcome, seconds: Date().timeIntervalSince(started), workspace: workspaceOption.path))
        if outcome.hasImplausibleTimes, let first = outcome.firstTime, let last = outcome.lastTime {
            FileHandle.standardError.write(
                Data(
                    ("warning: plays run from \(Format.time(first)) to \(Format.time(last)), outside 1990–2100; "
                        + "if the log's timestamps are relative, re-import with --time-origin (a Unix time), and check that they are seconds, not milliseconds\n")
                        .utf8))
        }
    }

    /// The end-of-import summary.
    static func render(_ outcome: LogImport.Outcome, seconds: Double, workspace: String) -> String {
        var lines: [String] = []
        for report in outcome.reports {
            lines.append(
                "\(report.file) (\(report.format.rawValue)): \(Format.grouped(report.rowsRead)) rows read, \(Format.grouped(report.rowsImported)) imported, \(Format.grouped(report.rowsRejected)) rejected"
            )
            for (category, count) in report.rejectedByCategory.sorted(by: { $0.value > $1.value }) {
                lines.append("  rejected: \(Format.grouped(count)) \(category)")
            }
            for example in report.examples { lines.append("  \(example)") }
            if report.rowsRejected > report.examples.count {
                lines.append("  ... and \(Format.grouped(report.rowsRejected - report.examples.count)) more rejected rows")
            }
        }
        let w = outcome.written
        lines.append(
            "Workspace \(workspace): +\(Format.grouped(w.users)) users, +\(Format.grouped(w.tracks)) tracks, +\(Format.grouped(w.sessions)) sessions, +\(Format.grouped(w.plays)) plays"
        )
        if let first = outcome.firstTime, let last = outcome.lastTime {
            lines.append(
                "Time span: \(Format.time(first)) to \(Format.time(last)) (\(String(format: "%.1f", Double(last - first) / 86_400)) days)")
        }
        let rows = outcome.reports.reduce(0) { $0 + $1.rowsRead }
        lines.append("Done in \(Format.duration(seconds)) (\(Format.count(Double(rows) / max(seconds, 1e-9))) rows/s).")
        return lines.joined(separator: "\n")
    }
}

extension LogFormat: ExpressibleByArgument {}
extension DateLayout: ExpressibleByArgument {}
