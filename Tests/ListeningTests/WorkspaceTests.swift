import Foundation
import GRDB
import TestSupport
import Testing

@testable import Listening

@Suite struct WorkspaceTests {
    struct Boom: Error {}

    let vocabulary = Vocabulary(
        tracks: [TrackInfo(key: "t0"), TrackInfo(key: "t1", name: "One", artist: "A")],
        users: ["alice", "bob"], devices: ["mobile"], sources: ["radio"])

    func session(user: Int32, start: Int64, skips: [SkipState] = [.played, .skipped]) -> Session {
        Session(
            user: user, start: start, context: SessionContext(unixTime: start, device: 0, source: 0),
            plays: skips.enumerated().map { Play(track: Int32($0.offset % 2), time: start + Int64($0.offset) * 180, skip: $0.element) })
    }

    @Test func aWriteWaitsForAnotherConnectionsLockInsteadOfFailing() throws {
        let folder = temporaryFolder() + "/ws"
        _ = try Workspace.create(at: folder, vocabulary: vocabulary) { try $0.append(session(user: 0, start: 1_000)) }
        let workspace = try Workspace(at: folder)
        // A second connection, as another process would have, holds an exclusive lock for half a second.
        let other = try DatabaseQueue(path: Workspace.databasePath(in: folder))
        let locked = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        Thread {
            try? other.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.5)
                try db.execute(sql: "COMMIT")
            }
            released.signal()
        }.start()
        locked.wait()
        let start = Date()
        try workspace.write { db in
            try db.execute(sql: "INSERT INTO runs (kind, model, config, seed, metrics, started_at) VALUES ('train', 'm', '{}', 0, '{}', 0)")
        }
        #expect(Date().timeIntervalSince(start) > 0.2, "the write waited for the lock")
        released.wait()
        #expect(try workspace.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs") } == 1)
    }

    @Test func aWorkspaceFinishedByAnotherProcessMeanwhileIsKeptAndThisImportRefused() throws {
        let folder = temporaryFolder() + "/ws"
        #expect(throws: WorkspaceError.self) {
            try Workspace.create(at: folder, vocabulary: vocabulary) { writer in
                try writer.append(session(user: 0, start: 1_000))
                // Another import renames its finished workspace into place while this one fills.
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data("theirs".utf8).write(to: URL(fileURLWithPath: folder + "/marker"))
            }
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/marker"), "the other process's workspace is untouched")
        #expect(!FileManager.default.fileExists(atPath: folder + ".partial-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test func stagingFoldersOfDeadProcessesAreCleanedUpAndLiveOnesKept() throws {
        let parent = temporaryFolder()
        let folder = parent + "/ws"
        let dead = endedProcessID()
        let live = getppid()
        for name in ["ws.partial-\(dead)", "ws.old-\(dead)", "ws.partial-\(live)", "other.partial-\(dead)"] {
            try FileManager.default.createDirectory(atPath: parent + "/" + name, withIntermediateDirectories: true)
        }
        try Workspace.create(at: folder, vocabulary: vocabulary) { try $0.append(session(user: 0, start: 1_000)) }
        let left = try FileManager.default.contentsOfDirectory(atPath: parent).sorted()
        #expect(left == ["other.partial-\(dead)", "ws", "ws.partial-\(live)"])
    }

    @Test func roundTripsSessionsAndVocabulary() throws {
        let folder = temporaryFolder() + "/ws"
        let written = try Workspace.create(at: folder, vocabulary: vocabulary) { writer in
            try writer.append(session(user: 1, start: 5_000))
            try writer.append(session(user: 0, start: 1_000, skips: [.unknown, .played, .skipped]))
            try writer.append(session(user: 0, start: 90_000))
        }
        #expect(written == WriteSummary(sessions: 3, plays: 7, users: 2, tracks: 2))
        let workspace = try Workspace(at: folder)
        #expect(try workspace.vocabulary() == vocabulary)
        let sessions = try workspace.sessions()
        #expect(
            sessions == [
                session(user: 0, start: 1_000, skips: [.unknown, .played, .skipped]),
                session(user: 0, start: 90_000), session(user: 1, start: 5_000),
            ])
        #expect(try workspace.sessions(users: 1..<2).count == 1)
        let summary = try workspace.summary()
        #expect(summary.plays == 7 && summary.playsWithSkipState == 6 && summary.skippedPlays == 3)
        #expect(summary.sessionsByDevice == ["mobile": 3])
    }

    @Test func anEmptyFolderBecomesAWorkspaceAndAFullOneIsRefused() throws {
        let folder = temporaryFolder() + "/ws"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Workspace.create(at: folder, vocabulary: vocabulary) { writer in try writer.append(session(user: 0, start: 1_000)) }
        #expect(try Workspace(at: folder).sessions().count == 1)
        let other = temporaryFolder() + "/notes"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "keep me".write(toFile: other + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: WorkspaceError.self) { try Workspace.create(at: other, vocabulary: vocabulary) { _ in } }
        #expect(FileManager.default.fileExists(atPath: other + "/notes.txt"), "a folder with files is left alone")
    }

    @Test func missingWorkspaceIsAStructuredError() {
        let path = temporaryFolder() + "/nothing-here"
        let error = #expect(throws: WorkspaceError.self) { try Workspace(at: path) }
        #expect(error == .missing(path: path))
        // The library names the path; the advice (which command makes one) is the command line's.
        #expect(error?.description == "no workspace at \(path)")
        let errors: [any Error] = [
            WorkspaceError.missing(path: path), WorkspaceError.exists(path: path), WorkspaceError.alreadyImported(file: "a.csv"),
            ListeningError.undetectedFormat(path: "a.csv", firstLine: "x"), ListeningError.csvNeedsMapping,
            ListeningError.invalidMapping(.repeatedField("user")), ListeningError.invalidMapping(.missingRequiredFields),
            ListeningError.ambiguousDates(path: "a.csv", example: "03-07-18", layouts: [.dayMonthShortYear, .monthDayShortYear]),
        ]
        for error in errors {
            #expect(!"\(error)".contains("--") && !"\(error)".contains("setlist "), "\(error)")
        }
    }

    @Test func foreignFilesAreRecognised() throws {
        // Random bytes where the database should be.
        let garbage = temporaryFolder()
        FileManager.default.createFile(
            atPath: garbage + "/setlist.sqlite", contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        let notSQLite = #expect(throws: WorkspaceError.self) { try Workspace(at: garbage) }
        #expect(notSQLite?.description.contains("not an SQLite database") == true)

        // A real SQLite database that someone else wrote.
        let other = temporaryFolder()
        try DatabaseQueue(path: other + "/setlist.sqlite").write { try $0.execute(sql: "CREATE TABLE t (x)") }
        let foreign = #expect(throws: WorkspaceError.self) { try Workspace(at: other) }
        #expect(foreign?.description.contains("not one Setlist wrote") == true)

        // A file where the folder should be.
        let file = temporaryFile("hello")
        #expect(throws: WorkspaceError.self) { try Workspace(at: file) }
    }

    @Test func newerSchemaIsRefused() throws {
        let folder = temporaryFolder() + "/ws"
        try Workspace.create(at: folder, vocabulary: vocabulary) { _ in }
        try DatabaseQueue(path: folder + "/setlist.sqlite").writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
        let error = #expect(throws: WorkspaceError.self) { try Workspace(at: folder) }
        #expect(error == .newerSchema(path: folder + "/setlist.sqlite", found: 99, supported: WorkspaceSchema.version))
    }

    @Test func aFailedCreateLeavesNothingBehind() throws {
        let parent = temporaryFolder()
        #expect(throws: Boom.self) {
            try Workspace.create(at: parent + "/ws", vocabulary: vocabulary) { writer in
                try writer.append(session(user: 0, start: 0))
                throw Boom()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty, "no workspace and no staging folder")
    }

    @Test func aFailedReplaceKeepsTheOldWorkspace() throws {
        let folder = temporaryFolder() + "/ws"
        try Workspace.create(at: folder, vocabulary: vocabulary) { try $0.append(session(user: 0, start: 0)) }
        #expect(throws: Boom.self) {
            try Workspace.create(at: folder, vocabulary: vocabulary, replace: true) { _ in throw Boom() }
        }
        #expect(try Workspace(at: folder).summary().sessions == 1)
        #expect(throws: WorkspaceError.self) { try Workspace.create(at: folder, vocabulary: vocabulary) { _ in } }
        try Workspace.create(at: folder, vocabulary: vocabulary, replace: true) { _ in }
        #expect(try Workspace(at: folder).summary().sessions == 0)
    }

    @Test func aFailedAppendIsRolledBack() throws {
        let folder = temporaryFolder() + "/ws"
        try Workspace.create(at: folder, vocabulary: vocabulary) { try $0.append(session(user: 0, start: 0)) }
        let workspace = try Workspace(at: folder)
        var grown = vocabulary
        grown.users.append("carol")
        #expect(throws: Boom.self) {
            try workspace.append(vocabulary: grown) { writer in
                try writer.append(session(user: 2, start: 10))
                throw Boom()
            }
        }
        #expect(try workspace.summary().sessions == 1)
        #expect(try workspace.vocabulary().users == ["alice", "bob"])
        // Ids outside the vocabulary are refused rather than stored.
        #expect(throws: WorkspaceError.self) { try workspace.append(vocabulary: grown) { try $0.append(session(user: 7, start: 10)) } }
        // A vocabulary that does not extend the workspace's is refused.
        var reordered = vocabulary
        reordered.users.swapAt(0, 1)
        #expect(throws: WorkspaceError.self) { try workspace.append(vocabulary: reordered) { _ in } }
    }
}
