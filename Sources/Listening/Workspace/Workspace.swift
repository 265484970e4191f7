import Foundation
import GRDB

/// A workspace folder: the SQLite database of tracks, users, sessions, plays and runs, plus model files.
public final class Workspace: Sendable {
    /// The folder.
    public let path: String
    let database: DatabaseQueue

    /// The database file inside a workspace folder.
    public static func databasePath(in folder: String) -> String {
        (folder as NSString).appendingPathComponent(WorkspaceSchema.databaseName)
    }

    /// True when `folder` holds a workspace database.
    public static func exists(at folder: String) -> Bool {
        FileManager.default.fileExists(atPath: databasePath(in: folder))
    }

    /// Seconds a statement waits for another process's lock on the database before failing.
    static let busyTimeout: TimeInterval = 30

    /// Opens an existing workspace, checking that it is ours and not from a newer version.
    public init(at folder: String, readOnly: Bool = false) throws {
        path = folder
        let file = Self.databasePath(in: folder)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw WorkspaceError.foreign(
                path: folder, detail: "it is a file; a workspace is a folder holding \(WorkspaceSchema.databaseName)")
        }
        guard FileManager.default.fileExists(atPath: file) else { throw WorkspaceError.missing(path: folder) }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.label = "setlist-workspace"
        // Another process (the explorer, a concurrent `train`) may hold the database for a moment:
        // wait for it instead of failing with "database is locked" and losing a run record.
        configuration.busyMode = .timeout(Self.busyTimeout)
        do {
            database = try DatabaseQueue(path: file, configuration: configuration)
            let (applicationID, version) = try database.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                )
            }
            guard applicationID == WorkspaceSchema.applicationID else {
                throw WorkspaceError.foreign(path: file, detail: "it is an SQLite database, but not one Setlist wrote")
            }
            guard version <= WorkspaceSchema.version else {
                throw WorkspaceError.newerSchema(path: file, found: version, supported: WorkspaceSchema.version)
            }
        } catch let error as WorkspaceError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw WorkspaceError.foreign(path: file, detail: "it is not an SQLite database")
        } catch let error as DatabaseError {
            throw WorkspaceError.database(error.message ?? "\(error)")
        }
    }

    /// Runs a read inside the workspace, mapping SQLite errors to `WorkspaceError` (internal: GRDB stays inside Listening).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as DatabaseError {
            throw WorkspaceError.database(error.message ?? "\(error)")
        }
    }

    /// Runs a write transaction, mapping SQLite errors to `WorkspaceError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as DatabaseError {
            throw WorkspaceError.database(error.message ?? "\(error)")
        }
    }

    /// The vocabularies whose indices the stored ids refer to.
    public func vocabulary() throws -> Vocabulary {
        try read { db in
            var vocabulary = Vocabulary()
            let tracks = try Row.fetchAll(db, sql: "SELECT key, name, artist FROM tracks ORDER BY id")
            vocabulary.tracks = tracks.map { TrackInfo(key: $0[0], name: $0[1], artist: $0[2]) }
            vocabulary.users = try String.fetchAll(db, sql: "SELECT key FROM users ORDER BY id")
            vocabulary.devices = try String.fetchAll(db, sql: "SELECT name FROM devices ORDER BY id")
            vocabulary.sources = try String.fetchAll(db, sql: "SELECT name FROM sources ORDER BY id")
            return vocabulary
        }
    }

    /// All sessions (or those of a range of user ids), user by user, each user's in time order.
    public func sessions(users: Range<Int>? = nil) throws -> [Session] {
        try read { db in
            var filter = ""
            var arguments: StatementArguments = []
            if let users {
                filter = "WHERE user_id >= ? AND user_id < ?"
                arguments = [users.lowerBound, users.upperBound]
            }
            var result: [Session] = []
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, user_id, start_time, hour, weekday, device_id, source_id, play_tracks, play_offsets, play_skips
                    FROM sessions \(filter)
                    ORDER BY user_id, start_time, id
                    """, arguments: arguments)
            while let row = try cursor.next() {
                let context = SessionContext(
                    hour: Int8(row[3] as Int? ?? -1), weekday: Int8(row[4] as Int? ?? -1),
                    device: Int16(row[5] as Int? ?? -1), source: Int16(row[6] as Int? ?? -1))
                let start: Int64 = row[2]
                let tracks = PlayArrayDecoder.decode(row[7] as String)
                let offsets = PlayArrayDecoder.decode(row[8] as String)
                let skips = PlayArrayDecoder.decode(row[9] as String)
                guard tracks.count == offsets.count, tracks.count == skips.count else {
                    throw WorkspaceError.database("session \(row[0] as Int64) has play arrays of different lengths")
                }
                var plays: [Play] = []
                plays.reserveCapacity(tracks.count)
                for i in tracks.indices {
                    guard let track = tracks[i], let offset = offsets[i] else {
                        throw WorkspaceError.database("session \(row[0] as Int64) has a malformed play \(i)")
                    }
                    plays.append(
                        Play(
                            track: Int32(truncatingIfNeeded: track), time: start &+ offset,
                            skip: SkipState(storedValue: skips[i].map(Int.init))))
                }
                result.append(Session(user: Int32(row[1] as Int), start: start, context: context, plays: plays))
            }
            return result
        }
    }

    /// Files already imported, for refusing accidental duplicates.
    func hasImported(path: String, size: Int) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM imports WHERE path = ? AND size = ?)", arguments: [path, size])
                ?? false
        }
    }
}
