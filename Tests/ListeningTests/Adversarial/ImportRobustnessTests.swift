import Foundation
import Randomness
import Testing

@testable import Listening

/// Fuzz-style inputs: every case is a clear error or reported rows, never a crash, and rows are accounted for.
@Suite struct ImportRobustnessTests {
    static let validMSSD: String = {
        var text =
            "session_id,session_position,session_length,track_id_clean,skip_1,skip_2,skip_3,not_skipped,hour_of_day,date,context_type\n"
        for s in 0..<40 {
            for p in 1...5 {
                text +=
                    "s\(s),\(p),5,t\(s * 3 + p),False,\(p == 2 ? "True" : "False"),False,\(p == 2 ? "False" : "True"),\(s % 24),2018-07-1\(s % 7),radio\n"
            }
        }
        return text
    }()

    /// Reads a file and checks that rows are accounted for; returns the report or the error.
    func read(_ path: String, options: ImportOptions = ImportOptions()) -> Result<ImportReport, Error> {
        var log = ParsedLog()
        do {
            let report = try LogReader(options: options).read(file: path, into: &log)
            #expect(report.rowsImported + report.rowsRejected == report.rowsRead)
            #expect(log.count == report.rowsImported)
            return .success(report)
        } catch let error as ListeningError {
            #expect(!error.description.isEmpty)
            return .failure(error)
        } catch {
            Issue.record("unexpected error type \(type(of: error)): \(error)")
            return .failure(error)
        }
    }

    @Test func emptyAndBlankFilesAreClearErrors() {
        for content in ["", "\n\n", "   \r\n"] {
            guard case .failure(let error) = read(temporaryFile(content)) else {
                Issue.record("accepted \(content.debugDescription)")
                continue
            }
            #expect("\(error)".contains("is empty"))
        }
        guard case .failure(let error) = read(temporaryFile("session_id,session_position,track_id_clean,hour_of_day,date\n")) else {
            Issue.record("a header-only file was accepted")
            return
        }
        #expect("\(error)".contains("is empty"))
    }

    @Test func aByteOrderMarkBeforeAHeaderlessLogIsNotAUser() throws {
        let rows = "user_000001\t2009-05-04T23:08:57Z\ta1\tDeep Dish\tt1\tOne\nuser_000001\t2009-05-04T13:54:10Z\ta2\tUnkle\tt2\tTwo\n"
        var log = ParsedLog()
        let report = try LogReader().read(file: temporaryFile(bytes: [0xEF, 0xBB, 0xBF] + Array(rows.utf8)), into: &log)
        #expect(report.format == .lastfm && report.rowsImported == 2)
        #expect(log.vocabulary.users == ["user_000001"])
    }

    @Test func carriageReturnLineEndingsReadAsLines() throws {
        var log = ParsedLog()
        let report = try LogReader().read(file: temporaryFile("user,item,timestamp,state_label\r1,2,100,0\r1,3,160,0\r"), into: &log)
        #expect(report.rowsImported == 2 && report.rowsRejected == 0)
        #expect(log.vocabulary.tracks.map(\.key) == ["2", "3"])
    }

    @Test func aHugeFileWithoutLineEndingsIsRefusedFromItsStart() {
        // 8 MB of zeros (a `truncate -s` file): detection reads only the first 64 KB.
        guard case .failure(let error) = read(temporaryFile(bytes: [UInt8](repeating: 0, count: 8 << 20))) else {
            Issue.record("a file of zeros was accepted")
            return
        }
        #expect("\(error)".contains("cannot tell the format"))
    }

    @Test func missingFileAndDirectoryAreClearErrors() {
        guard case .failure(let missing) = read("/nonexistent/setlist/log.csv") else {
            Issue.record("opened a missing file")
            return
        }
        #expect("\(missing)".contains("cannot open /nonexistent/setlist/log.csv"))
        guard case .failure(let directory) = read(NSTemporaryDirectory()) else {
            Issue.record("opened a directory")
            return
        }
        #expect("\(directory)".contains("directory"))
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<200 {
            let count = Int.random(in: 0..<2_000, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Half the time, behind a valid header, so the row decoder sees the garbage.
            if round % 2 == 0 { bytes = Array("user,item,timestamp,state_label\n".utf8) + bytes }
            _ = read(temporaryFile(bytes: bytes))
        }
    }

    @Test func randomlyMutatedValidFilesReportRowsWithLines() {
        var rng = SplitMix64(seed: 11)
        let valid = Array(Self.validMSSD.utf8)
        for _ in 0..<100 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...20, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] =
                    [UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\""), 0, 0xFF, UInt8(ascii: "x")].randomElement(using: &rng) ?? 0
            }
            if case .success(let report) = read(temporaryFile(bytes: bytes)) {
                for example in report.examples { #expect(example.line >= 2 && example.line <= 202) }
            }
        }
    }

    @Test func cutOffFilesLoseOnlyTheCutRow() {
        let valid = Array(Self.validMSSD.utf8)
        var rng = SplitMix64(seed: 3)
        for _ in 0..<60 {
            let cut = Int.random(in: 1..<valid.count, using: &rng)
            let path = temporaryFile(bytes: Array(valid[0..<cut]))
            switch read(path) {
            case .success(let report):
                let completeRows = valid[0..<cut].filter { $0 == 10 }.count - 1
                #expect(report.rowsImported >= completeRows, "every complete row survives")
                #expect(report.rowsRejected <= 1, "only the cut-off last row may be lost")
                if let rejected = report.examples.first { #expect(rejected.reason.contains("cut off")) }
            case .failure(let error):
                // Cut inside the header or the first row: nothing to import, said clearly.
                #expect("\(error)".contains("empty") || "\(error)".contains("could be imported") || "\(error)".contains("no column"))
            }
        }
    }

    @Test func wrongColumnCountsAndBadValuesAreReportedByLine() throws {
        let text = """
            user,item,timestamp,state_label
            1,2,100,0
            1,2
            1,3,yesterday,0
            ,4,200,0
            1,,300,0
            1,5,nan,0
            1,6,400,0

            """
        guard case .success(let report) = read(temporaryFile(text)) else {
            Issue.record("the good rows were not imported")
            return
        }
        #expect(report.rowsRead == 7)
        #expect(report.rowsImported == 2)
        #expect(report.rejectedByCategory == ["wrong field count": 1, "bad timestamp": 2, "empty user": 1, "empty track": 1])
        #expect(report.examples.map(\.line) == [3, 4, 5, 6, 7])
        #expect(report.examples[0].description.hasSuffix(":3: expected at least 4 fields, found 2: \"1,2\""))
    }

    @Test func badMSSDValuesAreReported() throws {
        let text = """
            session_id,session_position,session_length,track_id_clean,skip_1,skip_2,skip_3,not_skipped,hour_of_day,date,context_type
            s1,1,2,t1,False,False,False,True,7,2018-07-16,radio
            s1,2,2,t2,False,maybe,False,True,7,2018-07-16,radio
            s1,x,2,t2,False,False,False,True,7,2018-07-16,radio
            s1,3,2,t2,False,False,False,True,31,2018-07-16,radio
            s1,4,2,t2,False,False,False,True,7,2018-02-45,radio

            """
        guard case .success(let report) = read(temporaryFile(text)) else {
            Issue.record("not imported")
            return
        }
        #expect(report.rowsImported == 1)
        #expect(report.rejectedByCategory == ["bad skip flag": 1, "bad position": 1, "bad hour": 1, "bad date": 1])
    }

    @Test func unknownHeaderAndMissingColumnsAreClearErrors() {
        guard case .failure(let unknown) = read(temporaryFile("a,b,c\n1,2,3\n")) else {
            Issue.record("guessed a format")
            return
        }
        guard case ListeningError.undetectedFormat(_, "a,b,c") = unknown else {
            Issue.record("not the undetected-format error: \(unknown)")
            return
        }
        guard case .failure(let missing) = read(temporaryFile("a,b,c\n1,2,3\n"), options: ImportOptions(format: .deezer)) else {
            Issue.record("accepted a file without Deezer columns")
            return
        }
        #expect("\(missing)".contains("no column 'user_id'"))
    }
}

/// Parsing a file in parallel chunks gives exactly what one thread gives.
@Suite struct ParallelParseTests {
    @Test(arguments: [2, 3, 7])
    func chunkedParseMatchesSequential(threads: Int) throws {
        var text = "user,item,timestamp,state_label\n"
        for i in 0..<3_000 {
            switch i % 500 {
            case 17: text += "\(i % 13),broken\n"
            case 230: text += "\(i % 13),\(i % 97),later,0\n"
            default: text += "\(i % 13),\(i % 97),\(i / 13 * 60),0\n"
            }
        }
        text += "5,5,99"  // cut off
        let file = temporaryFile(text)
        var sequentialOptions = ImportOptions()
        sequentialOptions.threads = 1
        var parallelOptions = ImportOptions()
        parallelOptions.threads = threads
        parallelOptions.parallelThreshold = 0
        parallelOptions.maxExamples = 100
        sequentialOptions.maxExamples = 100
        var sequentialLog = ParsedLog()
        var parallelLog = ParsedLog()
        let sequential = try LogReader(options: sequentialOptions).read(file: file, into: &sequentialLog)
        let parallel = try LogReader(options: parallelOptions).read(file: file, into: &parallelLog)
        #expect(parallel.rowsRead == sequential.rowsRead)
        #expect(parallel.rowsImported == sequential.rowsImported)
        #expect(parallel.rejectedByCategory == sequential.rejectedByCategory)
        #expect(parallel.examples == sequential.examples, "same lines and reasons, including the cut-off last line")
        #expect(sequential.examples.last?.reason.contains("cut off") == true)
        #expect(parallelLog.vocabulary.users.sorted() == sequentialLog.vocabulary.users.sorted())
        func sessions(_ log: ParsedLog) -> [[String]] {
            let vocabulary = log.vocabulary
            var out: [[String]] = []
            log.forEachSession(gap: 1200, skipGap: 30) { s in
                out.append([vocabulary.users[Int(s.user)]] + s.plays.map { "\(vocabulary.tracks[Int($0.track)].key)@\($0.time)" })
            }
            return out.sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(sessions(parallelLog) == sessions(sequentialLog))
    }
}
