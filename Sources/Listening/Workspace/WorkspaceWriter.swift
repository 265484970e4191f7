import Foundation
import GRDB

#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// A file that went into a workspace, recorded so it is not imported twice by accident.
public struct ImportRecord: Sendable {
    public var path: String
    public var size: Int
    public var format: LogFormat
    public var rowsRead: Int
    public var rowsRejected: Int

    public init(path: String, size: Int, format: LogFormat, rowsRead: Int, rowsRejected: Int) {
        self.path = path
        self.size = size
        self.format = format
        self.rowsRead = rowsRead
        self.rowsRejected = rowsRejected
    }
}

/// What a write added.
public struct WriteSummary: Sendable, Equatable {
    public var sessions = 0
    public var plays = 0
    public var users = 0
    public var tracks = 0

    public init(sessions: Int = 0, plays: Int = 0, users: Int = 0, tracks: Int = 0) {
        self.sessions = sessions
        self.plays = plays
        self.users = users
        self.tracks = tracks
    }
}

/// Streams sessions into a workspace with a prepared statement, inside one transaction.
public struct SessionWriter: SessionSink {
    fileprivate let insertSession: SQLiteStatement
    fileprivate var nextSessionID: Int64
    fileprivate let userCount: Int32
    fileprivate let trackCount: Int32
    private var tracks = PlayArrayEncoder()
    private var offsets = PlayArrayEncoder()
    private var skips = PlayArrayEncoder()
    /// Sessions and plays written so far.
    public private(set) var summary = WriteSummary()

    fileprivate init(insertSession: SQLiteStatement, nextSessionID: Int64, userCount: Int32, trackCount: Int32) {
        self.insertSession = insertSession
        self.nextSessionID = nextSessionID
        self.userCount = userCount
        self.trackCount = trackCount
    }

    /// Writes one session and its plays.
    public mutating func append(_ session: Session) throws {
        guard !session.plays.isEmpty else { return }
        guard session.user >= 0, session.user < userCount else {
            throw WorkspaceError.database("session of unknown user id \(session.user)")
        }
        tracks.reset()
        offsets.reset()
        skips.reset()
        var skipCount: Int64 = 0
        var known: Int64 = 0
        for play in session.plays {
            guard play.track >= 0, play.track < trackCount else {
                throw WorkspaceError.database("play of unknown track id \(play.track)")
            }
            tracks.append(Int64(play.track))
            offsets.append(play.time &- session.start)
            switch play.skip {
            case .unknown: skips.appendNull()
            case .played:
                skips.append(0)
                known &+= 1
            case .skipped:
                skips.append(1)
                known &+= 1
                skipCount &+= 1
            }
        }
        let id = nextSessionID
        nextSessionID &+= 1
        let s = insertSession
        sqlite3_bind_int64(s, 1, id)
        sqlite3_bind_int64(s, 2, Int64(session.user))
        sqlite3_bind_int64(s, 3, session.start)
        sqlite3_bind_int64(s, 4, session.plays.last?.time ?? session.start)
        let context = session.context
        bind(s, 5, context.hour >= 0 ? Int64(context.hour) : nil)
        bind(s, 6, context.daypart.map { Int64($0.rawValue) })
        bind(s, 7, context.weekday >= 0 ? Int64(context.weekday) : nil)
        bind(s, 8, context.device >= 0 ? Int64(context.device) : nil)
        bind(s, 9, context.source >= 0 ? Int64(context.source) : nil)
        sqlite3_bind_int64(s, 10, Int64(session.plays.count))
        bind(s, 11, known > 0 ? skipCount : nil)
        sqlite3_bind_int64(s, 12, known)
        // The encoders' buffers outlive the step, so SQLite may read them in place.
        let code = tracks.withText { t in
            offsets.withText { o in
                skips.withText { k -> Int32 in
                    sqlite3_bind_text(s, 13, t.baseAddress, Int32(t.count), nil)
                    sqlite3_bind_text(s, 14, o.baseAddress, Int32(o.count), nil)
                    sqlite3_bind_text(s, 15, k.baseAddress, Int32(k.count), nil)
                    let code = sqlite3_step(s)
                    sqlite3_reset(s)
                    return code
                }
            }
        }
        guard code == SQLITE_DONE else {
            let message = sqlite3_db_handle(s).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
            throw WorkspaceError.database(message)
        }
        summary.sessions &+= 1
        summary.plays &+= session.plays.count
    }

    @inline(__always)
    private func bind(_ statement: SQLiteStatement, _ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }
}

/// Builds a JSON array of integers (and nulls) in a reusable byte buffer.
struct PlayArrayEncoder {
    private var bytes: [CChar] = []
    private var empty = true

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(CChar(UInt8(ascii: "[")))
        empty = true
    }

    @inline(__always)
    mutating func append(_ value: Int64) {
        if !empty { bytes.append(CChar(UInt8(ascii: ","))) }
        empty = false
        var v = value
        if v < 0 {
            bytes.append(CChar(UInt8(ascii: "-")))
            v = -v
        }
        var digits:
            (
                CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar,
                CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(v % 10) &+ 48
                v /= 10
                count &+= 1
            } while v > 0
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(CChar(bitPattern: raw[i])) }
        }
    }

    mutating func appendNull() {
        if !empty { bytes.append(CChar(UInt8(ascii: ","))) }
        empty = false
        bytes.append(contentsOf: "null".utf8.map { CChar(bitPattern: $0) })
    }

    /// Calls `body` with the closed array text.
    mutating func withText<T>(_ body: (UnsafeBufferPointer<CChar>) throws -> T) rethrows -> T {
        bytes.append(CChar(UInt8(ascii: "]")))
        defer { bytes.removeLast() }
        return try bytes.withUnsafeBufferPointer(body)
    }
}

extension Workspace {
    /// Creates a new workspace at `folder`, filled by `fill`, atomically.
    ///
    /// Everything is written into a sibling folder first and renamed into place only when `fill`
    /// returns, so a crash or an error never leaves a half-written workspace. With `replace`,
    /// an existing workspace at `folder` is swapped out only after the new one is complete.
    @discardableResult
    public static func create(
        at folder: String, vocabulary: Vocabulary, replace: Bool = false,
        metadata: [String: String] = [:], imports: [ImportRecord] = [],
        _ fill: (inout SessionWriter) throws -> Void
    ) throws -> WriteSummary {
        let manager = FileManager.default
        // An empty folder (`mkdir ws` first) is as good as none.
        let isEmptyFolder = (try? manager.contentsOfDirectory(atPath: folder))?.isEmpty ?? false
        if manager.fileExists(atPath: folder), !replace, !isEmptyFolder {
            throw WorkspaceError.exists(path: folder)
        }
        let parent = FilePaths.parentFolder(of: folder)
        if !parent.isEmpty { try manager.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        removeAbandonedStaging(of: folder)
        let staging = folder + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                // A staging file that is renamed only on success needs no journal.
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
            }
            let queue = try DatabaseQueue(path: databasePath(in: staging), configuration: configuration)
            let summary = try queue.writeWithoutTransaction { db -> WriteSummary in
                try db.execute(sql: "PRAGMA page_size = 16384")
                try db.execute(sql: "PRAGMA application_id = \(WorkspaceSchema.applicationID)")
                try db.execute(sql: "PRAGMA user_version = \(WorkspaceSchema.version)")
                var summary = WriteSummary()
                try db.inTransaction {
                    for statement in WorkspaceSchema.statements { try db.execute(sql: statement) }
                    var meta = metadata
                    meta["created_at"] = ISO8601DateFormatter().string(from: Date())
                    meta["schema_version"] = String(WorkspaceSchema.version)
                    for (key, value) in meta.sorted(by: { $0.key < $1.key }) {
                        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
                    }
                    summary = try fillTables(db, vocabulary: vocabulary, existing: Vocabulary(), imports: imports, fill)
                    return .commit
                }
                return summary
            }
            try queue.close()
            if replace, manager.fileExists(atPath: folder), !isEmptyFolder {
                let old = folder + ".old-\(ProcessInfo.processInfo.processIdentifier)"
                try manager.moveItem(atPath: folder, toPath: old)
                try manager.moveItem(atPath: staging, toPath: folder)
                try? manager.removeItem(atPath: old)
            } else if rename(staging, folder) != 0 {
                // rename(2) replaces nothing but an empty folder, atomically: if another process
                // finished a workspace here meanwhile, it is kept and this one is refused.
                throw WorkspaceError.database(
                    "\(folder) was created by another process while this one ran (a concurrent import?); nothing was written: import again into it"
                )
            }
            return summary
        } catch {
            try? manager.removeItem(atPath: staging)
            if let error = error as? DatabaseError { throw WorkspaceError.database(error.message ?? "\(error)") }
            throw error
        }
    }

    /// Adds sessions to this workspace in one transaction: all of them are stored, or none.
    ///
    /// `vocabulary` must extend the workspace's own (same entries first, new ones after), as a
    /// `ParsedLog(continuing:)` produces.
    @discardableResult
    public func append(
        vocabulary: Vocabulary, imports: [ImportRecord] = [],
        _ fill: (inout SessionWriter) throws -> Void
    ) throws -> WriteSummary {
        let existing = try self.vocabulary()
        guard vocabulary.tracks.starts(with: existing.tracks), vocabulary.users.starts(with: existing.users),
            vocabulary.devices.starts(with: existing.devices), vocabulary.sources.starts(with: existing.sources)
        else { throw WorkspaceError.database("the new vocabulary does not extend the workspace's") }
        do {
            return try database.write { db in
                try Workspace.fillTables(db, vocabulary: vocabulary, existing: existing, imports: imports, fill)
            }
        } catch let error as DatabaseError {
            throw WorkspaceError.database(error.message ?? "\(error)")
        }
    }

    static func fillTables(
        _ db: Database, vocabulary: Vocabulary, existing: Vocabulary, imports: [ImportRecord],
        _ fill: (inout SessionWriter) throws -> Void
    ) throws -> WriteSummary {
        let track = try db.makeStatement(sql: "INSERT INTO tracks (id, key, name, artist) VALUES (?, ?, ?, ?)")
        for (id, info) in vocabulary.tracks.enumerated().dropFirst(existing.tracks.count) {
            try track.execute(arguments: [id, info.key, info.name, info.artist])
        }
        for (table, column, names, skip) in [
            ("users", "key", vocabulary.users, existing.users.count),
            ("devices", "name", vocabulary.devices, existing.devices.count),
            ("sources", "name", vocabulary.sources, existing.sources.count),
        ] {
            let statement = try db.makeStatement(sql: "INSERT INTO \(table) (id, \(column)) VALUES (?, ?)")
            for (id, name) in names.enumerated().dropFirst(skip) {
                try statement.execute(arguments: [id, name])
            }
        }
        let firstSession = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM sessions") ?? -1) + 1
        let sessionStatement = try db.makeStatement(
            sql: """
                INSERT INTO sessions (id, user_id, start_time, end_time, hour, daypart, weekday, device_id, source_id,
                                      length, skips, skips_known, play_tracks, play_offsets, play_skips)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var writer = SessionWriter(
            insertSession: sessionStatement.sqliteStatement,
            nextSessionID: firstSession, userCount: Int32(vocabulary.users.count),
            trackCount: Int32(vocabulary.tracks.count))
        try fill(&writer)
        let now = Int64(Date().timeIntervalSince1970)
        for record in imports {
            try db.execute(
                sql: """
                    INSERT INTO imports (path, size, format, rows_read, rows_rejected, imported_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [record.path, record.size, record.format.rawValue, record.rowsRead, record.rowsRejected, now])
        }
        var summary = writer.summary
        summary.users = vocabulary.users.count - existing.users.count
        summary.tracks = vocabulary.tracks.count - existing.tracks.count
        return summary
    }

    /// Removes the `.partial-PID` and `.old-PID` siblings of `folder` that processes no longer
    /// running left behind (a killed import); those of live processes are theirs.
    static func removeAbandonedStaging(of folder: String) {
        let parent = FilePaths.parentFolder(of: folder)
        let base = (folder as NSString).lastPathComponent
        for marker in [".partial-", ".old-"] { FilePaths.removeAbandoned(in: parent, prefix: base + marker) }
    }
}
