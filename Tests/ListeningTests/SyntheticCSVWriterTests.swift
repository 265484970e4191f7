import Foundation
import TestSupport
import Testing

@testable import Listening

/// The session-log CSV: exact format, round trip, atomicity.
@Suite struct SyntheticCSVWriterTests {
    static func folder() -> String {
        let path = TestScratch.root + "/setlist-synthetic-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func writesTheMSSDHeaderAndExactRows() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log.csv"
        let vocabulary = Vocabulary(
            tracks: [TrackInfo(key: "t000123"), TrackInfo(key: "t000777")],
            users: ["u000041", "u000042"], devices: ["mobile", "tv"], sources: ["radio", "charts"])
        let start: Int64 = 1_704_114_300  // 2024-01-01 13:05:00 UTC
        let writer = try SessionLogCSVWriter(path: path, vocabulary: vocabulary)
        try writer.append(
            Session(
                user: 1, start: start, context: SessionContext(unixTime: start, device: 1, source: 0),
                plays: [Play(track: 0, time: start, skip: .played), Play(track: 1, time: start + 200, skip: .skipped)]))
        let late: Int64 = 1_704_153_599  // 2024-01-01 23:59:59 UTC
        try writer.append(
            Session(
                user: 1, start: late, context: SessionContext(unixTime: late, device: 0, source: 1),
                plays: [Play(track: 1, time: late, skip: .played), Play(track: 0, time: late + 1, skip: .unknown)]))
        try writer.append(
            Session(
                user: 0, start: -1, context: SessionContext(unixTime: -1),
                plays: [Play(track: 0, time: -1, skip: .played)]))
        try writer.finish()
        #expect(writer.rowsWritten == 5)
        let expected = """
            session_id,session_position,session_length,track_id_clean,skip_1,skip_2,skip_3,not_skipped,hour_of_day,date,context_type,user_id,timestamp,device
            u000042_0,1,2,t000123,False,False,False,True,13,2024-01-01,radio,u000042,1704114300,tv
            u000042_0,2,2,t000777,True,True,True,False,13,2024-01-01,radio,u000042,1704114500,tv
            u000042_1,1,2,t000777,False,False,False,True,23,2024-01-01,charts,u000042,1704153599,mobile
            u000042_1,2,2,t000123,,,,,0,2024-01-02,charts,u000042,1704153600,mobile
            u000041_0,1,1,t000123,False,False,False,True,23,1969-12-31,,u000041,-1,

            """
        #expect(try Self.read(path) == expected)
        #expect(SessionLogCSVWriter.header + "\n" == expected.split(separator: "\n", omittingEmptySubsequences: false)[0] + "\n")
    }

    @Test func civilDatesMatchFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        // From 1696 on: Foundation switches to the Julian calendar before 1582.
        for day in stride(from: Int64(-100_000), through: 2_900_000, by: 4_999) + [0, 19_782, 11_016, 11_017, -1] {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let civil = SessionLogCSVWriter.civilDate(day)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day, "day \(day)")
        }
    }

    @Test func generatedSessionsRoundTripThroughTheCSV() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log.csv"
        let generator = SyntheticGenerator(
            config: SyntheticConfig(users: 20, sessionsPerUser: 6, playsPerSession: 5, tracks: 200, clusters: 5, seed: 9))
        var sessions: [Session] = []
        let writer = try SessionLogCSVWriter(path: path, vocabulary: generator.vocabulary)
        try generator.generate(users: 0..<20) { session in
            sessions.append(session)
            try writer.append(session)
        }
        try writer.finish()

        let vocabulary = generator.vocabulary
        let userIndex = Dictionary(uniqueKeysWithValues: vocabulary.users.enumerated().map { ($1, Int32($0)) })
        let trackIndex = Dictionary(uniqueKeysWithValues: vocabulary.tracks.enumerated().map { ($1.key, Int32($0)) })
        let dateFormatter = DateFormatter()
        dateFormatter.locale = Locale(identifier: "en_US_POSIX")
        dateFormatter.timeZone = TimeZone(identifier: "UTC")
        dateFormatter.dateFormat = "yyyy-MM-dd"

        let lines = try Self.read(path).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == SessionLogCSVWriter.header)
        #expect(lines.last == "")
        var parsed: [Session] = []
        var ids: [String] = []
        var sessionIndex: [Int32: Int] = [:]
        for line in lines.dropFirst().dropLast() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count == 14)
            let user = try #require(userIndex[f[11]])
            let time = try #require(Int64(f[12]))
            let skipped = f[4] == "True"
            #expect(f[5] == f[4] && f[6] == f[4] && f[7] == (skipped ? "False" : "True"))
            #expect(Int(f[8]) == Int(time % 86_400 / 3600))
            #expect(f[9] == dateFormatter.string(from: Date(timeIntervalSince1970: Double(time))))
            let play = Play(track: try #require(trackIndex[f[3]]), time: time, skip: skipped ? .skipped : .played)
            if f[1] == "1" {
                #expect(f[0] == "\(f[11])_\(sessionIndex[user, default: 0])")
                sessionIndex[user, default: 0] += 1
                let device = Int16(try #require(vocabulary.devices.firstIndex(of: f[13])))
                let source = Int16(try #require(vocabulary.sources.firstIndex(of: f[10])))
                parsed.append(
                    Session(user: user, start: time, context: SessionContext(unixTime: time, device: device, source: source), plays: []))
                ids.append(f[0])
            }
            #expect(f[0] == ids.last)
            #expect(Int(f[1]) == (parsed.last?.plays.count ?? 0) + 1)
            parsed[parsed.count - 1].plays.append(play)
            #expect(Int(f[2]) != nil)
        }
        #expect(parsed == sessions)
        #expect(Set(ids).count == ids.count)
    }

    @Test func outputIsByteIdenticalForAnyThreadCount() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let generator = SyntheticGenerator(
            config: SyntheticConfig(users: 30, sessionsPerUser: 5, playsPerSession: 4, tracks: 100, clusters: 4, seed: 5))
        var contents: [String] = []
        for threads in [1, 2, 3] {
            let path = folder + "/log\(threads).csv"
            let writer = try SessionLogCSVWriter(path: path, vocabulary: generator.vocabulary)
            try generator.generateParallel(threads: threads, chunk: 4) { try writer.append($0) }
            try writer.finish()
            contents.append(try Self.read(path))
        }
        #expect(contents[0].count > 1000)
        #expect(contents[0] == contents[1] && contents[1] == contents[2])
    }

    @Test func theFileAppearsOnlyOnFinish() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log.csv"
        let generator = SyntheticGenerator(
            config: SyntheticConfig(users: 3, sessionsPerUser: 3, playsPerSession: 3, tracks: 20, clusters: 2))
        do {
            let writer = try SessionLogCSVWriter(path: path, vocabulary: generator.vocabulary)
            try generator.generate(users: 0..<3) { try writer.append($0) }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1)
            // Dropped without finish: nothing is left behind.
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)

        FileManager.default.createFile(atPath: path, contents: Data("old".utf8))
        let writer = try SessionLogCSVWriter(path: path, vocabulary: generator.vocabulary)
        try generator.generate(users: 0..<3) { try writer.append($0) }
        #expect(try Self.read(path) == "old")
        try writer.finish()
        #expect(try Self.read(path).hasPrefix(SessionLogCSVWriter.header + "\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["log.csv"])
        #expect(throws: SessionLogWriteError.self) { try writer.finish() }
        #expect(throws: SessionLogWriteError.self) { try writer.append(generator.sessions(user: 0)[0]) }
    }

    @Test func rejectsIndicesOutsideTheVocabularyAndUnwritablePaths() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let vocabulary = Vocabulary(tracks: [TrackInfo(key: "a")], users: ["u"], devices: [], sources: [])
        let writer = try SessionLogCSVWriter(path: folder + "/x.csv", vocabulary: vocabulary)
        #expect(throws: SessionLogWriteError.unknownIndex(kind: "track", index: 3)) {
            try writer.append(Session(user: 0, start: 0, context: .unknown, plays: [Play(track: 3, time: 0, skip: .played)]))
        }
        #expect(throws: SessionLogWriteError.unknownIndex(kind: "user", index: 2)) {
            try writer.append(Session(user: 2, start: 0, context: .unknown, plays: []))
        }
        #expect(throws: SessionLogWriteError.self) {
            _ = try SessionLogCSVWriter(path: folder + "/missing/x.csv", vocabulary: vocabulary)
        }
    }
}
