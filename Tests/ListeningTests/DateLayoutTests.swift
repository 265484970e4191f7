import Foundation
import Testing

@testable import Listening

/// MSSD dates in the layouts spreadsheet tools write, detected or named with --date-format.
struct DateLayoutTests {
    @Test func layoutsReadTheSameDayAndRefuseImpossibleDates() {
        let day = DateLayout.yearMonthDay.days("2018-07-15")
        #expect(day == 17_727)
        #expect(DateLayout.dayMonthShortYear.days("15-07-18") == day)
        #expect(DateLayout.monthDayShortYear.days("07/15/18") == day)
        #expect(DateLayout.dayMonthYear.days("15.07.2018") == day)
        #expect(DateLayout.monthDayYear.days("7/15/2018") == day)
        #expect(DateLayout.dayMonthShortYear.days("01-01-69") == DateLayout.yearMonthDay.days("1969-01-01"))
        #expect(DateLayout.dayMonthShortYear.days("31-02-18") == nil)
        #expect(DateLayout.dayMonthShortYear.days("29-02-20") != nil && DateLayout.dayMonthShortYear.days("29-02-19") == nil)
        #expect(DateLayout.yearMonthDay.days("2018-13-01") == nil && DateLayout.yearMonthDay.days("x") == nil)
    }

    @Test func detectionPicksTheOneLayoutThatFitsAndRefusesAmbiguity() {
        #expect(DateLayout.detect(["2018-07-15", "2018-07-16"]) == .success(.yearMonthDay))
        #expect(DateLayout.detect(["15-07-18", "03-07-18"]) == .success(.dayMonthShortYear))
        #expect(DateLayout.detect(["07-15-18", "07-03-18"]) == .success(.monthDayShortYear))
        guard case .failure(.ambiguous(_, let layouts)) = DateLayout.detect(["03-07-18", "04-07-18"]) else {
            Issue.record("days and months ≤ 12 are ambiguous")
            return
        }
        #expect(layouts == [.dayMonthShortYear, .monthDayShortYear])
        // Bad rows do not decide: the layout reading most of them wins, and with none the rows are rejected one by one.
        #expect(DateLayout.detect(["15-07-18", "16-07-18", "garbage"]) == .success(.dayMonthShortYear))
        #expect(DateLayout.detect(["yesterday"]) == .success(.yearMonthDay))
    }

    static func mssd(dates: [String]) -> String {
        var text =
            "session_id,session_position,session_length,track_id_clean,skip_1,skip_2,skip_3,not_skipped,hour_of_day,date,context_type\n"
        for (s, date) in dates.enumerated() { text += "s\(s),1,1,t\(s),False,False,False,True,10,\(date),radio\n" }
        return text
    }

    @Test func theImporterDetectsSpreadsheetDatesAndNamesTheOptionWhenItCannot() throws {
        var log = ParsedLog()
        let report = try LogReader().read(file: temporaryFile(Self.mssd(dates: ["15-07-18", "16-07-18"])), into: &log)
        #expect(report.rowsImported == 2)
        var ambiguous = ParsedLog()
        let path = temporaryFile(Self.mssd(dates: ["03-07-18", "04-07-18"]))
        #expect { try LogReader().read(file: path, into: &ambiguous) } throws: { error in
            guard case ListeningError.ambiguousDates(path, _, let layouts) = error else { return false }
            return layouts.count >= 2
        }
        var options = ImportOptions()
        options.dateLayout = .monthDayShortYear
        var named = ParsedLog()
        #expect(try LogReader(options: options).read(file: path, into: &named).rowsImported == 2)
        // A date no layout reads is one rejected row whose reason names the option.
        var mixed = ParsedLog()
        let partly = try LogReader().read(file: temporaryFile(Self.mssd(dates: ["2018-07-15", "15.07.18x"])), into: &mixed)
        #expect(partly.rowsImported == 1 && partly.examples.first?.reason.contains("--date-format") == true)
    }

    static func csv(times: [String]) -> String {
        var text = "listener,song,when\n"
        for (i, time) in times.enumerated() { text += "u1,t\(i),\(time)\n" }
        return text
    }

    func importCSV(_ times: [String], layout: DateLayout? = nil) throws -> (report: ImportReport, log: ParsedLog) {
        var options = ImportOptions(format: .csv)
        options.mapping = try ColumnMapping(parsing: "user=listener,track=song,time=when")
        options.dateLayout = layout
        var log = ParsedLog()
        let report = try LogReader(options: options).read(file: temporaryFile(Self.csv(times: times)), into: &log)
        return (report, log)
    }

    @Test func csvTimestampsInSpreadsheetLayoutsAreDetected() throws {
        let expected: Int64 = 17_727 * 86_400 + 14 * 3600 + 3 * 60
        for (times, seconds) in [
            (["15-07-18 14:03", "16-07-18 09:00"], expected),
            (["2018-07-15 14:03:00", "2018-07-16 09:00:00"], expected),
            (["07/15/2018 14:03", "07/16/2018 9:00"], expected),
            (["15.07.2018", "16.07.2018"], Int64(17_727 * 86_400)),
        ] {
            let (report, log) = try importCSV(times)
            #expect(report.rowsImported == 2, "\(times): \(report.examples.map(\.reason))")
            #expect(log.time.first == seconds, "\(times)")
        }
        // Unix seconds and ISO-8601 with a zone keep their own readers.
        let unix = try importCSV(["1531663380", "1531731600"])
        #expect(unix.report.rowsImported == 2 && unix.log.time.first == expected)
        let iso = try importCSV(["2018-07-15T16:03:00+02:00", "2018-07-16T09:00:00Z"])
        #expect(iso.report.rowsImported == 2 && iso.log.time.first == expected)
    }

    @Test func ambiguousCSVDatesAreRefusedWithTheOptionAndTheOptionDecides() throws {
        #expect { try importCSV(["03-07-18 10:00", "04-07-18 11:00"]) } throws: { error in
            guard case ListeningError.ambiguousDates(_, _, let layouts) = error else { return false }
            return layouts.count >= 2
        }
        let named = try importCSV(["03-07-18 10:00", "04-07-18 11:00"], layout: .monthDayShortYear)
        #expect(named.report.rowsImported == 2)
        #expect(named.log.time.first == Int64(DateLayout.yearMonthDay.days("2018-03-07") ?? 0) * 86_400 + 36_000)
        // A bad time of day rejects its row, naming the option.
        let bad = try importCSV(["15-07-18 14:03", "16-07-18 25:00", "17-07-18 14:03"])
        #expect(bad.report.rowsImported == 2 && bad.report.examples.first?.reason.contains("--date-format") == true)
    }
}
