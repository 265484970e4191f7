import Foundation
import GRDB
import Testing

@testable import Listening

/// Each format on small hand-written logs whose sessions, skips and contexts are worked out by hand.
@Suite struct LogImportTests {
    func importing(_ text: String, name: String = "log.csv", options: ImportOptions = ImportOptions()) throws
        -> (outcome: LogImport.Outcome, workspace: Workspace, sessions: [Session], vocabulary: Vocabulary)
    {
        let file = temporaryFile(text, name: name)
        let folder = temporaryFolder() + "/ws"
        let outcome = try LogImport(options: options).run(files: [file], workspace: folder)
        let workspace = try Workspace(at: folder)
        return (outcome, workspace, try workspace.sessions(), try workspace.vocabulary())
    }

    @Test func lastfmDerivesSkipsFromTheNextPlayAndCutsSessionsAtTwentyMinutes() throws {
        // u1: plays at 10:00:00, +20 s (skip: next within 30 s), +200 s, then 20 min gap exactly -> new session.
        let log = """
            u1\t2009-05-04T10:00:00Z\tart1\tArtist One\ttr1\tSong A
            u1\t2009-05-04T10:00:20Z\tart1\tArtist One\ttr2\tSong B
            u1\t2009-05-04T10:03:40Z\tart2\tArtist Two\t\tSong C
            u1\t2009-05-04T10:23:40Z\tart2\tArtist Two\t\tSong C
            u2\t2009-05-09T23:30:00Z\tart1\tArtist One\ttr1\tSong A

            """
        let r = try importing(log, name: "lastfm.tsv")
        #expect(r.outcome.reports.first?.format == .lastfm)
        #expect(r.sessions.count == 3)
        let u1 = r.sessions.filter { r.vocabulary.users[Int($0.user)] == "u1" }
        #expect(u1.map(\.plays.count) == [3, 1])
        #expect(u1[0].plays.map(\.skip) == [.skipped, .played, .played])
        #expect(u1[1].plays.map(\.skip) == [.unknown], "a user's last play has no next play")
        #expect(r.vocabulary.tracks.count == 3, "a track without an MBID is keyed by artist and title")
        #expect(r.vocabulary.tracks.contains { $0.name == "Song C" && $0.artist == "Artist Two" })
        // 2009-05-04 was a Monday; 10:00 is morning. 2009-05-09 23:30 is a Saturday night.
        #expect(u1[0].context.weekday == 0 && u1[0].context.daypart == .morning)
        let u2 = try #require(r.sessions.first { r.vocabulary.users[Int($0.user)] == "u2" })
        #expect(u2.context.weekday == 5 && u2.context.daypart == .night)
        #expect(u2.context.device == -1 && u2.context.source == -1, "Last.fm has no device or source")
    }

    @Test func sessionGapIsConfigurable() throws {
        let log = "user,item,timestamp,state_label,f\n1,1,0,0,0\n1,2,1199,0,0\n1,3,2398,0,0\n1,4,3600,0,0\n"
        #expect(try importing(log).sessions.map(\.plays.count) == [3, 1], "gaps of 1199 s stay, 1202 s split")
        var options = ImportOptions()
        options.sessionGap = 600
        #expect(try importing(log, options: options).sessions.map(\.plays.count) == [1, 1, 1, 1])
    }

    @Test func jodieTimesAreRelativeAndCanBeAnchored() throws {
        let log = "source,destination,timestamp,state_label,comma_separated_list_of_features\n0,5,0.0,0,0.0,0.0\n0,6,3600.0,0,0.0,0.0\n"
        var options = ImportOptions()
        options.timeOrigin = 1_241_431_200  // 2009-05-04T10:00:00Z, a Monday morning
        let r = try importing(log, options: options)
        #expect(r.sessions.count == 2)
        #expect(r.sessions[0].start == 1_241_431_200)
        #expect(r.sessions[0].context.daypart == .morning && r.sessions[1].context.hour == 11)
        #expect(r.sessions.allSatisfy { $0.plays.allSatisfy { $0.skip == .unknown } })
    }

    @Test func mssdSkipRulesAndPseudoUsers() throws {
        let log = """
            session_id,session_position,session_length,track_id_clean,skip_1,skip_2,skip_3,not_skipped,hour_of_day,date,context_type
            s1,2,3,tA,False,False,False,True,7,2018-07-16,radio
            s1,1,3,tB,False,True,True,False,7,2018-07-16,radio
            s1,3,3,tC,False,False,True,False,8,2018-07-16,radio
            s2,1,1,tA,False,False,False,,22,2018-07-15,charts

            """
        let r = try importing(log)
        #expect(r.sessions.count == 2)
        #expect(Set(r.vocabulary.users) == ["session:s1", "session:s2"])
        let s1 = try #require(r.sessions.first { r.vocabulary.users[Int($0.user)] == "session:s1" })
        #expect(s1.plays.map { r.vocabulary.tracks[Int($0.track)].key } == ["tB", "tA", "tC"], "ordered by position")
        #expect(s1.plays.map(\.skip) == [.skipped, .played, .skipped])
        #expect(s1.context.hour == 7 && s1.context.daypart == .earlyMorning && s1.context.weekday == 0)
        #expect(r.vocabulary.sources[Int(s1.context.source)] == "radio")
        let s2 = try #require(r.sessions.first { r.vocabulary.users[Int($0.user)] == "session:s2" })
        #expect(s2.plays.map(\.skip) == [.played], "skip_2 False with empty not_skipped reads as played")
    }

    @Test func deezerDevicesSourcesAndListenedFlags() throws {
        let log = """
            genre_id,ts_listen,media_id,album_id,context_type,release_date,platform_name,platform_family,media_duration,listen_type,user_gender,user_id,artist_id,user_age,is_listened
            7,1479848559,100,1,3,20161209,1,0,200,0,0,42,9,20,1
            7,1479848700,101,1,3,20161209,1,0,200,0,0,42,9,20,0
            7,1479900000,100,1,5,20161209,2,0,200,0,0,43,9,20,1

            """
        let r = try importing(log)
        #expect(r.sessions.count == 2)
        let first = r.sessions[0]
        #expect(first.plays.map(\.skip) == [.played, .skipped])
        #expect(r.vocabulary.devices[Int(first.context.device)] == "platform-1")
        #expect(r.vocabulary.sources[Int(first.context.source)] == "context-3")
    }

    @Test func genericCSVWithMappingQuotesAndMilliseconds() throws {
        let log = """
            listener;song;when;skipped;dev
            "a";"x;1";1700000000000;yes;phone
            "a";"x;2";1700000100000;no;phone
            b;x;1700000000000;;tv

            """
        var options = ImportOptions(format: .csv)
        options.delimiter = UInt8(ascii: ";")
        options.mapping = try ColumnMapping(parsing: "user=listener,track=song,time=when,skip=skipped,device=dev,time-unit=ms")
        let r = try importing(log, options: options)
        #expect(r.outcome.reports.first?.rowsRejected == 0)
        #expect(Set(r.vocabulary.tracks.map(\.key)) == ["x;1", "x;2", "x"])
        let a = try #require(r.sessions.first { r.vocabulary.users[Int($0.user)] == "a" })
        #expect(a.start == 1_700_000_000)
        #expect(a.plays.map(\.skip) == [.skipped, .played])
        let b = try #require(r.sessions.first { r.vocabulary.users[Int($0.user)] == "b" })
        #expect(b.plays.map(\.skip) == [.unknown])
        #expect(r.vocabulary.devices[Int(b.context.device)] == "tv")
    }

    @Test func mappingErrorsAreClear() throws {
        #expect(throws: ListeningError.invalidMapping(.missingRequiredFields)) { try ColumnMapping(parsing: "user=a,track=b") }
        #expect { try ColumnMapping(parsing: "user=a,track=b,time=c,colour=d") } throws: { error in
            guard case ListeningError.invalidMapping(.unknownField("colour", let known)) = error else { return false }
            return known.contains("user") && known.contains("time-unit")
        }
        #expect(throws: ListeningError.invalidMapping(.badTimeUnit("h"))) {
            try ColumnMapping(parsing: "user=a,track=b,time=c,time-unit=h")
        }
        #expect(throws: ListeningError.invalidMapping(.notFieldEqualsColumn("user"))) { try ColumnMapping(parsing: "user,track=b,time=c") }
        #expect(throws: ListeningError.invalidMapping(.repeatedField("user"))) {
            try ColumnMapping(parsing: "user=a,user=b,track=c,time=d")
        }
        var options = ImportOptions(format: .csv)
        options.mapping = try ColumnMapping(parsing: "user=u,track=t,time=missing")
        let error = #expect(throws: ListeningError.self) { try importing("u,t,time\n1,2,3\n", options: options) }
        #expect(error?.description.contains("no column 'missing'") == true)
    }

    @Test func importingIntoAnExistingWorkspaceReusesIdsAndRefusesDuplicates() throws {
        let folder = temporaryFolder() + "/ws"
        let first = temporaryFile("user,item,timestamp,state_label\n1,10,0,0\n2,11,5,0\n")
        let second = temporaryFile("user,item,timestamp,state_label\n2,10,100000,0\n3,12,100000,0\n")
        _ = try LogImport(options: ImportOptions()).run(files: [first], workspace: folder)
        let outcome = try LogImport(options: ImportOptions()).run(files: [second], workspace: folder)
        #expect(outcome.written.users == 1 && outcome.written.tracks == 1 && outcome.written.sessions == 2)
        let workspace = try Workspace(at: folder)
        let vocabulary = try workspace.vocabulary()
        #expect(vocabulary.users == ["1", "2", "3"])
        #expect(vocabulary.tracks.map(\.key) == ["10", "11", "12"])
        let user2 = try workspace.sessions().filter { vocabulary.users[Int($0.user)] == "2" }
        #expect(user2.map { vocabulary.tracks[Int($0.plays[0].track)].key } == ["11", "10"])
        #expect(throws: WorkspaceError.self) { try LogImport(options: ImportOptions()).run(files: [second], workspace: folder) }
        #expect(try workspace.summary().sessions == 4, "a refused import changes nothing")
    }

    @Test func thePlaysViewGivesOneRowPerPlay() throws {
        let r = try importing("user,item,timestamp,state_label\n1,10,100,0\n1,11,160,0\n")
        let rows = try r.workspace.read { db in
            try Row.fetchAll(db, sql: "SELECT session_id, position, track_id, time, skipped FROM plays ORDER BY position")
        }
        #expect(rows.count == 2)
        #expect(rows.map { $0[3] as Int64 } == [100, 160])
        #expect(rows.map { $0[1] as Int } == [0, 1])
        #expect(rows.allSatisfy { ($0[4] as Int?) == nil })
    }
}
