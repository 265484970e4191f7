/// One row of a delimited text file: its fields as byte slices of the file, valid only inside the callback.
struct DelimitedRow {
    /// 1-based line number in the file.
    var line: Int
    /// Number of fields.
    var count: Int
    /// True for a last line with no line ending, which often means the file was cut off.
    var isUnterminated: Bool
    fileprivate var starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
    fileprivate var lengths: UnsafeMutablePointer<Int>

    /// The bytes of field `index`, which must be below `count`.
    @inline(__always)
    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: starts[index], count: lengths[index])
    }

    /// Field `index` as a String (for messages and rare fields).
    func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// The whole row re-joined, shortened for error messages.
    func preview(delimiter: UInt8) -> String {
        let text = (0..<count).map(string).joined(separator: String(UnicodeScalar(delimiter)))
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}

/// Splits a byte buffer into lines and fields (RFC 4180 quoting, CR LF or LF endings).
///
/// Unquoted rows are sliced in place without copying; rows with quotes are unescaped into a
/// scratch buffer. A quoted field cannot span lines: such a row comes back with an unbalanced
/// quote flagged so the importer can reject it with its line number. Rows may have any number
/// of fields, and any byte (Latin-1 "ÿ", 0xFF, included) may appear inside a field.
struct DelimitedRows {
    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8

    /// Calls `body` for every non-empty line; returns the number of lines seen.
    /// `body` receives the row and whether its quoting was malformed.
    @discardableResult
    func forEachRow(
        startingAtLine firstLine: Int = 1, from offset: Int = 0,
        _ body: (DelimitedRow, _ malformedQuote: Bool) throws -> Void
    ) rethrows -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        let fields = FieldTable()
        var scratch = [UInt8]()
        var fieldEnds = [Int]()
        var position = offset
        var line = firstLine - 1
        let end = bytes.count
        while position < end {
            line &+= 1
            let remaining = end - position
            let lineStart = base + position
            let newline = memchr(lineStart, 10, remaining)
            var lineLength: Int
            let terminated: Bool
            if let newline {
                lineLength = UnsafeRawPointer(newline) - UnsafeRawPointer(lineStart)
                position &+= lineLength &+ 1
                terminated = true
            } else {
                lineLength = remaining
                position = end
                terminated = false
            }
            if lineLength > 0, lineStart[lineLength - 1] == 13 { lineLength -= 1 }
            if lineLength == 0 { continue }
            let lineBytes = UnsafeBufferPointer(start: lineStart, count: lineLength)
            if memchr(lineStart, 34, lineLength) == nil {
                let count = split(lineBytes, into: fields)
                try body(
                    DelimitedRow(line: line, count: count, isUnterminated: !terminated, starts: fields.starts, lengths: fields.lengths),
                    false)
            } else {
                let malformed = unquote(lineBytes, into: &scratch, fieldEnds: &fieldEnds)
                try scratch.withUnsafeBufferPointer { unquoted in
                    fields.reserve(fieldEnds.count)
                    // An empty scratch has no base address; its fields are all empty.
                    let start = unquoted.baseAddress ?? UnsafePointer(emptyField)
                    var fieldStart = 0
                    for (index, fieldEnd) in fieldEnds.enumerated() {
                        fields.starts[index] = start + fieldStart
                        fields.lengths[index] = fieldEnd &- fieldStart
                        fieldStart = fieldEnd
                    }
                    try body(
                        DelimitedRow(
                            line: line, count: fieldEnds.count, isUnterminated: !terminated,
                            starts: fields.starts, lengths: fields.lengths), malformed)
                }
            }
        }
        return line
    }

    /// Splits on the delimiter in place, growing `fields` as needed.
    @inline(__always)
    private func split(_ line: UnsafeBufferPointer<UInt8>, into fields: FieldTable) -> Int {
        guard let p = line.baseAddress else { return 0 }
        var count = 0
        var fieldStart = 0
        var i = 0
        let n = line.count
        while i < n {
            if p[i] == delimiter {
                if count == fields.capacity { fields.reserve(count &+ 1) }
                fields.starts[count] = p + fieldStart
                fields.lengths[count] = i &- fieldStart
                count &+= 1
                fieldStart = i &+ 1
            }
            i &+= 1
        }
        if count == fields.capacity { fields.reserve(count &+ 1) }
        fields.starts[count] = p + fieldStart
        fields.lengths[count] = n &- fieldStart
        return count &+ 1
    }

    /// Unescapes a quoted line into `out`, with the end offset of each field in `fieldEnds`.
    /// Returns true when a quote is left open or stray text follows a closing quote.
    private func unquote(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], fieldEnds: inout [Int]) -> Bool {
        out.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        var malformed = false
        var i = 0
        var atFieldStart = true
        var inQuotes = false
        var closedQuote = false
        while i < line.count {
            let byte = line[i]
            if inQuotes {
                if byte == 34 {
                    if i + 1 < line.count, line[i + 1] == 34 {
                        out.append(34)
                        i += 1
                    } else {
                        inQuotes = false
                        closedQuote = true
                    }
                } else {
                    out.append(byte)
                }
            } else if byte == delimiter {
                fieldEnds.append(out.count)
                atFieldStart = true
                closedQuote = false
                i += 1
                continue
            } else if byte == 34, atFieldStart {
                inQuotes = true
            } else {
                if closedQuote { malformed = true }
                out.append(byte)
            }
            atFieldStart = false
            i += 1
        }
        fieldEnds.append(out.count)
        return malformed || inQuotes
    }
}

/// A byte that empty fields of an empty scratch buffer point at (they are never read).
nonisolated(unsafe) private let emptyField = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

/// The start and length of each field of the current row, grown to the widest row seen.
private final class FieldTable {
    private(set) var capacity = 64
    private(set) var starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
    private(set) var lengths: UnsafeMutablePointer<Int>

    init() {
        starts = .allocate(capacity: capacity)
        lengths = .allocate(capacity: capacity)
    }

    deinit {
        starts.deallocate()
        lengths.deallocate()
    }

    /// Makes room for at least `count` fields, keeping the ones already stored.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        let grown = max(count, capacity * 2)
        let newStarts = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: grown)
        let newLengths = UnsafeMutablePointer<Int>.allocate(capacity: grown)
        newStarts.moveInitialize(from: starts, count: capacity)
        newLengths.moveInitialize(from: lengths, count: capacity)
        starts.deallocate()
        lengths.deallocate()
        starts = newStarts
        lengths = newLengths
        capacity = grown
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
