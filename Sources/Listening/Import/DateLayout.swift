/// How a log writes calendar dates: field order and year width; `-`, `/` and `.` all separate.
///
/// MSSD writes `2018-07-15`; the same file re-saved by a spreadsheet tool may read `15-07-18`.
public enum DateLayout: String, Sendable, CaseIterable, Codable {
    case yearMonthDay = "yyyy-mm-dd"
    case dayMonthYear = "dd-mm-yyyy"
    case monthDayYear = "mm-dd-yyyy"
    case dayMonthShortYear = "dd-mm-yy"
    case monthDayShortYear = "mm-dd-yy"

    /// Rows `detect` samples.
    public static let sampleSize = 2_000

    /// The date as days since the Unix epoch, or nil when `text` is not a valid date in this layout.
    ///
    /// Two-digit years follow POSIX `%y`: 69–99 are 1969–1999, 00–68 are 2000–2068.
    public func days(_ text: some StringProtocol) -> Int? {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return nil
        }
        let (yearPart, monthPart, dayPart): (Substring, Substring, Substring)
        switch self {
        case .yearMonthDay: (yearPart, monthPart, dayPart) = (Substring(parts[0]), Substring(parts[1]), Substring(parts[2]))
        case .dayMonthYear, .dayMonthShortYear:
            (yearPart, monthPart, dayPart) = (Substring(parts[2]), Substring(parts[1]), Substring(parts[0]))
        case .monthDayYear, .monthDayShortYear:
            (yearPart, monthPart, dayPart) = (Substring(parts[2]), Substring(parts[0]), Substring(parts[1]))
        }
        let shortYear = self == .dayMonthShortYear || self == .monthDayShortYear
        guard yearPart.count == (shortYear ? 2 : 4), monthPart.count <= 2, dayPart.count <= 2,
            var year = Int(yearPart), let month = Int(monthPart), let day = Int(dayPart)
        else { return nil }
        if shortYear { year += year >= 69 ? 1900 : 2000 }
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        return ByteParsing.daysFromCivil(year: year, month: month, day: day)
    }

    /// Seconds since the Unix epoch of a date in this layout, optionally followed by a time of day
    /// (`15-07-18 14:03`, `7/15/2018 14:03:09`, `2018-07-15T14:03:09.5`); nil when it is not one.
    ///
    /// Spreadsheet exports of `csv --map` logs write timestamps this way, without a time zone: they are read as UTC.
    public func seconds(_ text: some StringProtocol) -> Int64? {
        let separator = text.firstIndex(where: { $0 == " " || $0 == "T" })
        guard let days = days(text[..<(separator ?? text.endIndex)]) else { return nil }
        var clock: Int64 = 0
        if let separator {
            let time = text[text.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            let parts = time.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count),
                let hour = Int64(parts[0]), let minute = Int64(parts[1]), parts[0].count <= 2, parts[1].count == 2,
                (0..<24).contains(hour), (0..<60).contains(minute)
            else { return nil }
            var second: Int64 = 0
            if parts.count == 3 {
                // Fractions of a second are dropped: sessions are cut at minutes.
                let whole = parts[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                guard whole[0].count == 2, let s = Int64(whole[0]), (0...60).contains(s),
                    whole.count == 1 || whole[1].allSatisfy({ $0.isASCII && $0.isNumber })
                else { return nil }
                second = s
            }
            clock = hour * 3600 + minute * 60 + second
        }
        return Int64(days) * 86_400 + clock
    }

    /// The date part of a date-time (what precedes a space or `T`), for layout detection.
    static func datePart(_ text: String) -> Substring {
        text[..<(text.firstIndex(where: { $0 == " " || $0 == "T" }) ?? text.endIndex)]
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The layout that reads the most sampled dates, `yyyy-mm-dd` when it is among them or when none
    /// reads any (bad rows are then rejected one by one, naming --date-format); an error when two
    /// layouts read equally many (every day ≤ 12).
    public static func detect(_ samples: [String]) -> Result<DateLayout, DateLayoutError> {
        let dates = samples.map { String(datePart($0)) }.filter { !$0.isEmpty }
        let counts = allCases.map { layout in dates.reduce(0) { $0 + (layout.days($1) != nil ? 1 : 0) } }
        guard let most = counts.max(), most > 0 else { return .success(.yearMonthDay) }
        let best = allCases.indices.filter { counts[$0] == most }.map { allCases[$0] }
        if best.contains(.yearMonthDay) || best.count == 1 { return .success(best.contains(.yearMonthDay) ? .yearMonthDay : best[0]) }
        return .failure(.ambiguous(example: dates.first { d in best.allSatisfy { $0.days(d) != nil } } ?? dates[0], layouts: best))
    }
}

/// Why the dates of a log could not be read.
public enum DateLayoutError: Error, Equatable, CustomStringConvertible {
    /// Several layouts read the sampled dates equally well (days and months both ≤ 12).
    case ambiguous(example: String, layouts: [DateLayout])

    public var description: String {
        switch self {
        case .ambiguous(let example, let layouts):
            return
                "dates like \(example.debugDescription) fit \(layouts.map(\.rawValue).joined(separator: " and ")) alike"
        }
    }
}
