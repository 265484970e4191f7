/// Reads listening logs into a `ParsedLog`, reporting each bad row with file, line and reason.
public struct LogReader {
    public var options: ImportOptions

    public init(options: ImportOptions = ImportOptions()) { self.options = options }

    /// Reads one file, appending its good rows to `log`.
    ///
    /// Throws only for problems with the whole file (missing, empty, unknown header, no good row);
    /// bad rows are counted in the report and the rest is read.
    public func read(file path: String, into log: inout ParsedLog,
                     progress: ((_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil) throws -> ImportReport {
        let mapped = try MappedFile(path: path)
        let bytes = mapped.bytes
        guard let firstLine = Self.firstLine(of: bytes) else { throw ListeningError.emptyFile(path: path) }
        let format: LogFormat
        if let chosen = options.format {
            format = chosen
        } else if let detected = LogFormat.detect(firstLine: firstLine) {
            format = detected
        } else if options.mapping != nil {
            format = .csv
        } else {
            let shown = firstLine.count > 100 ? String(firstLine.prefix(97)) + "..." : firstLine
            throw ListeningError.unrecognizedFormat(
                path: path,
                detail: "cannot tell the format from the first line (\(shown.debugDescription)); pass --format \(LogFormat.allCases.map(\.rawValue).joined(separator: "|"))")
        }
        var plan = try FieldPlan(format: format, firstLine: firstLine, options: options, path: path)
        var report = ImportReport(file: path, format: format)
        if format == .lastfm { log.deriveSkipsFromGaps = true }
        log.reserve(log.count + bytes.count / 48)

        let delimiter: UInt8 = format == .lastfm ? 9 : (format == .csv ? options.delimiter : UInt8(ascii: ","))
        let startOffset = plan.hasHeader ? Self.offsetAfterFirstLine(bytes) : 0
        let firstDataLine = plan.hasHeader ? 2 : 1
        let reportEvery = 1 << 16
        let maxExamples = options.maxExamples
        DelimitedRows(bytes: bytes, delimiter: delimiter).forEach(startingAtLine: firstDataLine, from: startOffset) { row, malformedQuote in
            report.rowsRead &+= 1
            if malformedQuote {
                report.reject(line: row.line, category: "unbalanced quotes",
                              reason: "unbalanced quotes in \(row.preview(delimiter: delimiter).debugDescription)",
                              maxExamples: maxExamples)
                return
            }
            if let rejection = plan.decode(row, into: &log) {
                let truncated = row.isUnterminated ? " (the file ends without a line ending here, so it looks cut off)" : ""
                report.reject(line: row.line, category: rejection.category,
                              reason: rejection.reason + truncated, maxExamples: maxExamples)
            } else {
                report.rowsImported &+= 1
            }
            if let progress, report.rowsRead & (reportEvery - 1) == 0 {
                progress(row.starts0Offset(in: bytes), bytes.count)
            }
        }
        progress?(bytes.count, bytes.count)
        if report.rowsImported == 0 {
            if report.rowsRead == 0 { throw ListeningError.emptyFile(path: path) }
            throw ListeningError.noValidRows(path: path, rejected: report.rowsRejected,
                                             firstReason: report.examples.first.map { "line \($0.line): \($0.reason)" } ?? "unknown")
        }
        return report
    }

    /// The first non-empty line as text, or nil for a file with no content.
    static func firstLine(of bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var end = 0
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        var line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if line.last == 13 { line = UnsafeBufferPointer(rebasing: line[0..<(line.count - 1)]) }
        // Skip a UTF-8 byte-order mark.
        if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        let text = String(decoding: line, as: UTF8.self)
        return text.allSatisfy(\.isWhitespace) ? nil : text
    }

    static func offsetAfterFirstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = 0
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        return min(end + 1, bytes.count)
    }
}

extension DelimitedRow {
    /// Byte offset of the first field in `bytes`, for progress (approximate for quoted rows).
    func starts0Offset(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard count > 0, let base = bytes.baseAddress else { return 0 }
        let offset = self[0].baseAddress.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? 0
        return (0...bytes.count).contains(offset) ? offset : 0
    }
}
