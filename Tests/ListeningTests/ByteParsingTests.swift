import Testing

@testable import Listening

@Suite struct ByteParsingTests {
    func bytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @Test func utf8Validity() {
        let valid: [[UInt8]] = [[], Array("u000001".utf8), Array("Beyoncé — Halo".utf8), Array("東京事変".utf8)]
        let invalid: [[UInt8]] = [
            [0xFF], Array("u0".utf8) + [0xFF] + Array("1".utf8), [0xC3], [0xE6, 0x9D], [0xC0, 0x80], [0xED, 0xA0, 0x80],
        ]
        for field in valid { #expect(field.withUnsafeBufferPointer(ByteParsing.isValidUTF8), "\(field)") }
        for field in invalid { #expect(!field.withUnsafeBufferPointer(ByteParsing.isValidUTF8), "\(field)") }
    }

    @Test func integers() {
        #expect(bytes("0") { ByteParsing.int64($0) } == 0)
        #expect(bytes("-42") { ByteParsing.int64($0) } == -42)
        #expect(bytes("1479848559") { ByteParsing.int64($0) } == 1_479_848_559)
        #expect(bytes("") { ByteParsing.int64($0) } == nil)
        #expect(bytes("-") { ByteParsing.int64($0) } == nil)
        #expect(bytes("12a") { ByteParsing.int64($0) } == nil)
        #expect(bytes("99999999999999999999") { ByteParsing.int64($0) } == nil, "too long to fit")
    }

    @Test func decimals() {
        #expect(bytes("54.0") { ByteParsing.double($0) } == 54)
        #expect(bytes("-2.5") { ByteParsing.double($0) } == -2.5)
        #expect(bytes("1e3") { ByteParsing.double($0) } == 1000)
        #expect(bytes("31632190.0") { ByteParsing.double($0) } == 31_632_190)
        #expect(bytes("nan") { ByteParsing.double($0) } == nil)
        #expect(bytes("inf") { ByteParsing.double($0) } == nil)
        #expect(bytes("1.2.3") { ByteParsing.double($0) } == nil)
    }

    @Test func iso8601Times() {
        // 2009-05-04T23:08:57Z is 1241478537 (checked with `date -u -d`).
        #expect(bytes("2009-05-04T23:08:57Z") { ByteParsing.iso8601($0) } == 1_241_478_537)
        #expect(bytes("2009-05-04 23:08:57") { ByteParsing.iso8601($0) } == 1_241_478_537)
        #expect(bytes("2009-05-05T01:08:57+02:00") { ByteParsing.iso8601($0) } == 1_241_478_537)
        #expect(bytes("2009-05-04T23:08:57.250Z") { ByteParsing.iso8601($0) } == 1_241_478_537)
        #expect(bytes("1970-01-01T00:00:00Z") { ByteParsing.iso8601($0) } == 0)
        #expect(bytes("2009-13-04T23:08:57Z") { ByteParsing.iso8601($0) } == nil)
        #expect(bytes("2009-05-04T25:08:57Z") { ByteParsing.iso8601($0) } == nil)
        #expect(bytes("2009-05-04T23:08:57Q") { ByteParsing.iso8601($0) } == nil)
        #expect(bytes("yesterday") { ByteParsing.iso8601($0) } == nil)
    }

    @Test func datesAndClock() {
        #expect(bytes("1970-01-01") { ByteParsing.date($0) } == 0)
        #expect(bytes("2018-07-16") { ByteParsing.date($0) } == 17_728)
        #expect(bytes("2000-03-01") { ByteParsing.date($0) } == 11_017, "leap year 2000")
        // 2018-07-16 was a Monday; 1970-01-01 a Thursday.
        #expect(UTCClock(unixTime: 17_728 * 86_400 + 6 * 3600).weekday == 0)
        #expect(UTCClock(unixTime: 17_728 * 86_400 + 6 * 3600).hour == 6)
        #expect(UTCClock(unixTime: 0).weekday == 3)
        #expect(UTCClock(unixTime: -1).hour == 23)
        #expect(UTCClock(unixTime: -1).weekday == 2)
    }

    @Test func booleans() {
        #expect(bytes("True") { ByteParsing.bool($0) } == true)
        #expect(bytes("false") { ByteParsing.bool($0) } == false)
        #expect(bytes("1") { ByteParsing.bool($0) } == true)
        #expect(bytes("0") { ByteParsing.bool($0) } == false)
        #expect(bytes("maybe") { ByteParsing.bool($0) } == nil)
    }

    @Test func dayparts() {
        #expect(Daypart(hour: 4) == .night)
        #expect(Daypart(hour: 5) == .earlyMorning)
        #expect(Daypart(hour: 8) == .morning)
        #expect(Daypart(hour: 12) == .afternoon)
        #expect(Daypart(hour: 17) == .evening)
        #expect(Daypart(hour: 22) == .night)
        #expect(SessionContext(hour: -1).daypart == nil)
        #expect(Daypart(name: "early-morning") == .earlyMorning)
    }
}

@Suite struct DelimitedRowsTests {
    func rows(_ text: String, delimiter: UInt8 = 44) -> [(line: Int, fields: [String], unterminated: Bool, malformed: Bool)] {
        var out: [(Int, [String], Bool, Bool)] = []
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            DelimitedRows(bytes: buffer, delimiter: delimiter).forEachRow { row, malformed in
                out.append((row.line, (0..<row.count).map(row.string), row.isUnterminated, malformed))
            }
        }
        return out
    }

    @Test func splitsLinesAndFieldsWithCRLF() {
        let r = rows("a,b,c\r\n1,,3\r\n\r\nlast,row")
        #expect(r.map(\.fields) == [["a", "b", "c"], ["1", "", "3"], ["last", "row"]])
        #expect(r.map(\.line) == [1, 2, 4], "blank lines keep their numbers")
        #expect(r.map(\.unterminated) == [false, false, true])
    }

    @Test func unquotesRFC4180Fields() {
        let r = rows("\"a,b\",\"say \"\"hi\"\"\",plain\n")
        #expect(r.first?.fields == ["a,b", "say \"hi\"", "plain"])
        #expect(r.first?.malformed == false)
        #expect(rows("\"open,field\n").first?.malformed == true)
        #expect(rows("\"closed\"junk,x\n").first?.malformed == true)
    }

    @Test func tabs() {
        #expect(rows("u\t2009-05-04T23:08:57Z\ta\tb\tc\td\n", delimiter: 9).first?.fields.count == 6)
    }

    @Test func aLatin1ByteInsideAQuotedFieldDoesNotSplitIt() {
        // "café ÿ" saved as Latin-1: 0xE9 and 0xFF are bytes UTF-8 never uses.
        var bytes = Array("\"caf".utf8) + [0xE9, 0x20, 0xFF] + Array("\",next\n".utf8)
        var fields: [[UInt8]] = []
        bytes.withUnsafeMutableBufferPointer { buffer in
            DelimitedRows(bytes: UnsafeBufferPointer(buffer), delimiter: 44).forEachRow { row, _ in
                fields = (0..<row.count).map { Array(row[$0]) }
            }
        }
        #expect(fields == [Array("caf".utf8) + [0xE9, 0x20, 0xFF], Array("next".utf8)])
        bytes = [0xFF, 0x2C, 0x22, 0xFF, 0x22, 0x0A]
        bytes.withUnsafeMutableBufferPointer { buffer in
            DelimitedRows(bytes: UnsafeBufferPointer(buffer), delimiter: 44).forEachRow { row, _ in
                fields = (0..<row.count).map { Array(row[$0]) }
            }
        }
        #expect(fields == [[0xFF], [0xFF]])
    }

    @Test func rowsWiderThanAnyBufferKeepEveryField() {
        let wide = (0..<1_500).map { "f\($0)" }
        let plain = rows(wide.joined(separator: ",") + "\n")
        #expect(plain.first?.fields == wide)
        let quoted = rows(wide.map { "\"\($0)\"" }.joined(separator: ",") + "\nnarrow,row\n")
        #expect(quoted.first?.fields == wide && quoted.last?.fields == ["narrow", "row"])
        #expect(rows("\"\",\n").first?.fields == ["", ""], "empty quoted fields")
    }
}

@Suite struct KeyInternerTests {
    @Test func givesDenseStableIdsAcrossGrowth() {
        var interner = KeyInterner(capacity: 4)
        for i in 0..<10_000 { #expect(interner.intern("key\(i)") == Int32(i)) }
        for i in stride(from: 0, to: 10_000, by: 997) { #expect(interner.intern("key\(i)") == Int32(i)) }
        #expect(interner.count == 10_000)
        #expect(interner.lookup("key123") == 123)
        #expect(interner.lookup("absent") == nil)
        #expect(interner.key(4242) == "key4242")
        #expect(interner.intern("") == 10_000, "the empty key is a key like any other")
    }
}
