/// Fast parsers for numbers, booleans and dates in raw CSV field bytes.
///
/// They return nil instead of throwing, so a caller can name the field in its error.
enum ByteParsing {
    /// A signed decimal integer, with no spaces, or nil.
    @inline(__always)
    static func int64(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let start = field.baseAddress, field.count > 0, field.count <= 19 else { return nil }
        var index = 0
        var negative = false
        if start[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
            if field.count == 1 { return nil }
        }
        var value: Int64 = 0
        while index < field.count {
            let digit = start[index] &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index &+= 1
        }
        return negative ? -value : value
    }

    /// A decimal number such as `54.0`, `-3` or `1e9`, or nil.
    static func double(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let start = field.baseAddress, field.count > 0, field.count < 64 else { return nil }
        // Integer-with-fraction fast path covers the logs we read; fall back to the full grammar.
        var index = 0
        var negative = false
        if start[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        var integer: Int64 = 0
        var digits = 0
        while index < field.count, start[index] &- 48 < 10, digits < 18 {
            integer = integer &* 10 &+ Int64(start[index] &- 48)
            index &+= 1
            digits &+= 1
        }
        var value = Double(integer)
        if index < field.count, start[index] == UInt8(ascii: ".") {
            index &+= 1
            var scale = 0.1
            var fractionDigits = 0
            while index < field.count, start[index] &- 48 < 10 {
                value += Double(start[index] &- 48) * scale
                scale *= 0.1
                index &+= 1
                fractionDigits &+= 1
            }
            digits &+= fractionDigits
        }
        if index == field.count, digits > 0 { return negative ? -value : value }
        let text = String(decoding: field, as: UTF8.self)
        guard let parsed = Double(text), parsed.isFinite else { return nil }
        return parsed
    }

    /// `true/false`, `True/False`, `1/0`, `yes/no`, or nil.
    static func bool(_ field: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let first = field.first else { return nil }
        switch field.count {
        case 1:
            if first == UInt8(ascii: "1") { return true }
            if first == UInt8(ascii: "0") { return false }
            return nil
        default:
            let lowered = String(decoding: field, as: UTF8.self).lowercased()
            switch lowered {
            case "true", "yes", "t", "y": return true
            case "false", "no", "f", "n": return false
            default: return nil
            }
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    @inline(__always)
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    @inline(__always)
    private static func digits(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var value = 0
        for i in 0..<count {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int(d)
        }
        return value
    }

    /// A `YYYY-MM-DD` date as days since the Unix epoch, or nil.
    static func date(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let p = field.baseAddress, field.count >= 10,
            p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"),
            let year = digits(p, 4), let month = digits(p + 5, 2), let day = digits(p + 8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    /// An ISO-8601 time `YYYY-MM-DDTHH:MM:SS` with optional fraction and `Z` or `±HH:MM`, or a
    /// space instead of `T`, as Unix seconds, or nil.
    static func iso8601(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = field.baseAddress, field.count >= 19, let days = date(field),
            p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " "),
            p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"),
            let hour = digits(p + 11, 2), let minute = digits(p + 14, 2), let second = digits(p + 17, 2),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        var index = 19
        if index < field.count, p[index] == UInt8(ascii: ".") {
            index += 1
            while index < field.count, p[index] &- 48 < 10 { index += 1 }
        }
        if index == field.count { return seconds }
        switch p[index] {
        case UInt8(ascii: "Z"):
            return index + 1 == field.count ? seconds : nil
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = p[index] == UInt8(ascii: "+") ? 1 : -1
            let rest = field.count - index - 1
            guard rest == 5 || rest == 4 || rest == 2 else { return nil }
            guard let offsetHours = digits(p + index + 1, 2) else { return nil }
            var offsetMinutes = 0
            if rest == 5 {
                guard p[index + 3] == UInt8(ascii: ":"), let m = digits(p + index + 4, 2) else { return nil }
                offsetMinutes = m
            } else if rest == 4 {
                guard let m = digits(p + index + 3, 2) else { return nil }
                offsetMinutes = m
            }
            seconds -= sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
            return seconds
        default:
            return nil
        }
    }

    /// Whether `field` is valid UTF-8; ASCII, nearly every field, is checked without decoding.
    static func isValidUTF8(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < field.count, field[index] < 0x80 { index &+= 1 }
        return index == field.count || String(validating: field, as: UTF8.self) != nil
    }

    /// A field with surrounding spaces removed.
    @inline(__always)
    static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = field.baseAddress else { return field }
        var lower = 0
        var upper = field.count
        while lower < upper, base[lower] == 32 { lower += 1 }
        while upper > lower, base[upper - 1] == 32 { upper -= 1 }
        return UnsafeBufferPointer(start: base + lower, count: upper - lower)
    }
}
