import Foundation

/// Reads listening logs into a `ParsedLog`, reporting each bad row with file, line and reason.
public struct LogReader: Sendable {
    public var options: ImportOptions

    public init(options: ImportOptions = ImportOptions()) { self.options = options }

    /// Reads one file, appending its good rows to `log`.
    ///
    /// Throws only for problems with the whole file (missing, empty, unknown header, no good row);
    /// bad rows are counted in the report and the rest is read.
    public func read(
        file path: String, into log: inout ParsedLog,
        progress: (@Sendable (_ bytesRead: Int, _ totalBytes: Int) -> Void)? = nil
    ) throws -> ImportReport {
        let mapped = try MappedFile(path: path)
        // Old Mac files end lines with CR alone: read a copy with LF line endings.
        if Self.usesCarriageReturnLineEndings(mapped.bytes) {
            var copy = Array(mapped.bytes)
            for i in copy.indices where copy[i] == 13 { copy[i] = 10 }
            return try copy.withUnsafeBufferPointer { try read(bytes: $0, path: path, into: &log, progress: progress) }
        }
        return try read(bytes: mapped.bytes, path: path, into: &log, progress: progress)
    }

    /// Reads the bytes of the file at `path` (see `read(file:into:progress:)`).
    private func read(
        bytes: UnsafeBufferPointer<UInt8>, path: String, into log: inout ParsedLog,
        progress: (@Sendable (_ bytesRead: Int, _ totalBytes: Int) -> Void)?
    ) throws -> ImportReport {
        guard let firstLine = Self.firstLine(of: bytes) else { throw ListeningError.emptyFile(path: path) }
        let format: LogFormat
        if let chosen = options.format {
            format = chosen
        } else if let detected = LogFormat.detect(firstLine: firstLine) {
            format = detected
        } else if options.mapping != nil {
            format = .csv
        } else {
            throw ListeningError.undetectedFormat(path: path, firstLine: firstLine)
        }
        var detected = try FieldPlan(format: format, firstLine: firstLine, options: options, path: path)
        try Self.chooseDateLayout(&detected, bytes: bytes, options: options, path: path)
        let plan = detected
        var report = ImportReport(file: path, format: format)
        if format == .lastfm { log.deriveSkipsFromGaps = true }

        let delimiter: UInt8 = format == .lastfm ? 9 : (format == .csv ? options.delimiter : UInt8(ascii: ","))
        // Without a header the first row starts after the byte-order mark, if any (else it would name a phantom user).
        let startOffset = plan.hasHeader ? Self.offsetAfterFirstLine(bytes) : (Self.hasByteOrderMark(bytes) ? 3 : 0)
        let firstDataLine = plan.hasHeader ? 2 : 1
        let chunks = Self.chunks(
            of: bytes, from: startOffset, count: bytes.count >= options.parallelThreshold ? max(1, options.threads) : 1)
        if chunks.count == 1 {
            log.reserve(log.count + bytes.count / 48)
            var chunkPlan = plan
            _ = parse(
                bytes, from: startOffset, to: bytes.count, firstLine: firstDataLine, plan: &chunkPlan,
                delimiter: delimiter, into: &log, report: &report, progress: progress)
        } else {
            // Each chunk is parsed into a log of its own on its own thread, then merged in file order.
            let results = ChunkResults(count: chunks.count)
            let shared = SharedBytes(bytes: bytes)
            // Only the worker of chunk 0 reports progress, while the caller waits: no two threads call it.
            let (chunkCount, totalBytes) = (chunks.count, bytes.count)
            let firstProgress = progress.map { report in { @Sendable (read: Int, _: Int) in report(read * chunkCount, totalBytes) } }
            DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
                var chunkLog = ParsedLog()
                var chunkPlan = plan
                var chunkReport = ImportReport(file: path, format: format)
                chunkLog.reserve((chunks[index].upperBound - chunks[index].lowerBound) / 48)
                let lines = parse(
                    shared.bytes, from: chunks[index].lowerBound, to: chunks[index].upperBound, firstLine: 1,
                    plan: &chunkPlan, delimiter: delimiter, into: &chunkLog, report: &chunkReport,
                    progress: index == 0 ? firstProgress : nil)
                results.store(index, log: chunkLog, report: chunkReport, lines: lines)
            }
            var lineOffset = firstDataLine - 1
            var rowOffset: Int32 = 0
            for index in 0..<chunks.count {
                let (chunkLog, chunkReport, lines) = results.take(index)
                log.append(contentsOf: chunkLog, positionOffset: plan.positionColumn == nil ? rowOffset : 0)
                report.rowsRead &+= chunkReport.rowsRead
                report.rowsImported &+= chunkReport.rowsImported
                for (category, count) in chunkReport.rejectedByCategory { report.rejectedByCategory[category, default: 0] &+= count }
                for var example in chunkReport.examples where report.examples.count < options.maxExamples {
                    example.line &+= lineOffset
                    report.examples.append(example)
                }
                lineOffset &+= lines
                rowOffset &+= Int32(truncatingIfNeeded: chunkReport.rowsImported)
            }
        }
        progress?(bytes.count, bytes.count)
        if report.rowsImported == 0 {
            if report.rowsRead == 0 { throw ListeningError.emptyFile(path: path) }
            throw ListeningError.noValidRows(
                path: path, rejected: report.rowsRejected,
                firstReason: report.examples.first.map { "line \($0.line): \($0.reason)" } ?? "unknown")
        }
        return report
    }

    /// Parses the rows in `bytes[lower..<upper]`; returns the number of lines seen.
    private func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, from lower: Int, to upper: Int, firstLine: Int,
        plan: inout FieldPlan, delimiter: UInt8, into log: inout ParsedLog, report: inout ImportReport,
        progress: (@Sendable (_ bytesRead: Int, _ totalBytes: Int) -> Void)?
    ) -> Int {
        let reportEvery = 1 << 16
        let maxExamples = options.maxExamples
        let slice = UnsafeBufferPointer(rebasing: bytes[0..<upper])
        let last = DelimitedRows(bytes: slice, delimiter: delimiter).forEachRow(startingAtLine: firstLine, from: lower) {
            row, malformedQuote in
            report.rowsRead &+= 1
            if malformedQuote {
                report.reject(
                    line: row.line, category: "unbalanced quotes",
                    reason: "unbalanced quotes in \(row.preview(delimiter: delimiter).debugDescription)",
                    maxExamples: maxExamples)
                return
            }
            // Only the file's real end can be cut off; a chunk boundary always falls after a newline.
            if let rejection = plan.decode(row, into: &log) {
                let truncated =
                    row.isUnterminated && upper == bytes.count
                    ? " (the file ends without a line ending here, so it looks cut off)" : ""
                report.reject(
                    line: row.line, category: rejection.category,
                    reason: rejection.reason + truncated, maxExamples: maxExamples)
            } else {
                report.rowsImported &+= 1
            }
            if let progress, report.rowsRead & (reportEvery - 1) == 0 {
                progress(row.starts0Offset(in: bytes) - lower, upper - lower)
            }
        }
        return last - firstLine + 1
    }

    /// Splits `bytes[start...]` into about `count` ranges that each end after a newline.
    static func chunks(of bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> [Range<Int>] {
        guard count > 1 else { return [start..<bytes.count] }
        var ranges: [Range<Int>] = []
        var lower = start
        for k in 1..<count {
            var cut = max(lower, start + (bytes.count - start) * k / count)
            while cut < bytes.count, bytes[cut] != 10 { cut += 1 }
            cut = min(cut + 1, bytes.count)
            if cut > lower { ranges.append(lower..<cut) }
            lower = cut
        }
        if lower < bytes.count { ranges.append(lower..<bytes.count) }
        return ranges.isEmpty ? [start..<bytes.count] : ranges
    }

    /// Sets how the plan reads calendar dates: MSSD's date column, and a `csv --map` time column
    /// whose first rows are not Unix or ISO-8601 times; `--date-format` overrides the detection.
    static func chooseDateLayout(_ plan: inout FieldPlan, bytes: UnsafeBufferPointer<UInt8>, options: ImportOptions, path: String) throws {
        switch plan.timeKind {
        case .dateAndHour: break
        case .automatic:
            let samples = sampleColumn(plan.timeColumn, of: bytes, plan: plan, delimiter: options.delimiter).filter { !$0.isEmpty }
            let machineReadable = samples.filter { sample in
                Array(sample.utf8).withUnsafeBufferPointer { field in
                    ByteParsing.int64(field) != nil || ByteParsing.double(field) != nil || ByteParsing.iso8601(field) != nil
                }
            }
            // Unix or ISO-8601 times in most sampled rows: keep reading them as such.
            guard 2 * machineReadable.count < samples.count else { return }
            plan.timeKind = .layoutDateTime
        default: return
        }
        if let layout = options.dateLayout {
            plan.dateLayout = layout
            return
        }
        let delimiter = plan.format == .csv ? options.delimiter : UInt8(ascii: ",")
        switch DateLayout.detect(sampleColumn(plan.timeColumn, of: bytes, plan: plan, delimiter: delimiter)) {
        case .success(let layout): plan.dateLayout = layout
        case .failure(.ambiguous(let example, let layouts)):
            throw ListeningError.ambiguousDates(path: path, example: example, layouts: layouts)
        }
    }

    /// The values of `column` in the first `DateLayout.sampleSize` data rows (for date-layout detection).
    static func sampleColumn(_ column: Int, of bytes: UnsafeBufferPointer<UInt8>, plan: FieldPlan, delimiter: UInt8) -> [String] {
        let start = plan.hasHeader ? offsetAfterFirstLine(bytes) : 0
        // A prefix of whole lines is enough: rows are far shorter than 4 KB.
        var end = min(bytes.count, start + DateLayout.sampleSize * 4_096)
        while end < bytes.count, bytes[end - 1] != 10 { end += 1 }
        var values: [String] = []
        _ = DelimitedRows(bytes: UnsafeBufferPointer(rebasing: bytes[0..<end]), delimiter: delimiter).forEachRow(
            startingAtLine: 1, from: start
        ) { row, malformed in
            guard !malformed, column < row.count, values.count < DateLayout.sampleSize else { return }
            values.append(String(decoding: ByteParsing.trimmed(row[column]), as: UTF8.self))
        }
        return values
    }

    /// The longest first line format detection reads: a header or first row is far shorter, and an
    /// unrecognisable multi-gigabyte file without newlines is then refused at once.
    static let firstLineLimit = 1 << 16

    /// Whether the file starts with a UTF-8 byte-order mark.
    static func hasByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// Whether lines end with CR alone: the start of the file has a CR and no LF.
    static func usesCarriageReturnLineEndings(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let head = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, firstLineLimit)])
        return head.contains(13) && !head.contains(10)
    }

    /// The first non-empty line as text (at most `firstLineLimit` bytes), or nil for a file with no content.
    static func firstLine(of bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let limit = min(bytes.count, firstLineLimit)
        var end = 0
        while end < limit, bytes[end] != 10 { end += 1 }
        var line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if line.last == 13 { line = UnsafeBufferPointer(rebasing: line[0..<(line.count - 1)]) }
        if hasByteOrderMark(line) { line = UnsafeBufferPointer(rebasing: line[3...]) }
        let text = String(decoding: line, as: UTF8.self)
        return text.allSatisfy(\.isWhitespace) ? nil : text
    }

    static func offsetAfterFirstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = 0
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        return min(end + 1, bytes.count)
    }
}

/// The parsed chunks of a file, each slot written by one worker.
private final class ChunkResults: @unchecked Sendable {
    private var slots: [(ParsedLog, ImportReport, Int)?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, log: ParsedLog, report: ImportReport, lines: Int) {
        lock.lock()
        slots[index] = (log, report, lines)
        lock.unlock()
    }

    func take(_ index: Int) -> (ParsedLog, ImportReport, Int) {
        lock.lock()
        defer { lock.unlock() }
        guard let slot = slots[index] else { return (ParsedLog(), ImportReport(file: "", format: .csv), 0) }
        slots[index] = nil
        return slot
    }
}

/// The mapped file, read by several workers at once (it is never written).
private struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}

extension DelimitedRow {
    /// Byte offset of the first field in `bytes`, for progress (approximate for quoted rows).
    func starts0Offset(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard count > 0, let base = bytes.baseAddress else { return 0 }
        let offset = self[0].baseAddress.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? 0
        return (0...bytes.count).contains(offset) ? offset : 0
    }
}
