import GRDB

/// Counts and distributions that `setlist info` prints.
public struct WorkspaceSummary: Sendable, Codable, Equatable {
    public var users = 0
    public var tracks = 0
    public var sessions = 0
    public var plays = 0
    /// Plays whose skip state is known.
    public var playsWithSkipState = 0
    public var skippedPlays = 0
    public var firstTime: Int64?
    public var lastTime: Int64?
    /// Sessions per daypart name; "unknown" for sessions without an hour.
    public var sessionsByDaypart: [String: Int] = [:]
    public var sessionsByDevice: [String: Int] = [:]
    public var sessionsBySource: [String: Int] = [:]
    public var imports: [String] = []
    public var runs = 0
    public var meta: [String: String] = [:]

    /// Mean plays per session.
    public var meanSessionLength: Double { sessions == 0 ? 0 : Double(plays) / Double(sessions) }
    /// Skipped share of plays with a known skip state, or nil.
    public var skipRate: Double? { playsWithSkipState == 0 ? nil : Double(skippedPlays) / Double(playsWithSkipState) }
}

extension Workspace {
    /// Reads the summary with a handful of aggregate queries.
    public func summary() throws -> WorkspaceSummary {
        try read { db in
            var s = WorkspaceSummary()
            s.users = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0
            s.tracks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tracks") ?? 0
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), COALESCE(SUM(length), 0), COALESCE(SUM(skips_known), 0),
                           COALESCE(SUM(skips), 0), MIN(start_time), MAX(end_time) FROM sessions
                    """)
            {
                s.sessions = row[0]
                s.plays = row[1]
                s.playsWithSkipState = row[2]
                s.skippedPlays = row[3]
                s.firstTime = row[4]
                s.lastTime = row[5]
            }
            for row in try Row.fetchAll(db, sql: "SELECT daypart, COUNT(*) FROM sessions GROUP BY daypart") {
                let name = (row[0] as Int?).flatMap { Daypart(rawValue: Int8($0)) }?.description ?? "unknown"
                s.sessionsByDaypart[name] = row[1]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT COALESCE(d.name, 'unknown'), COUNT(*) FROM sessions s LEFT JOIN devices d ON d.id = s.device_id GROUP BY 1"
            ) {
                s.sessionsByDevice[row[0]] = row[1]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT COALESCE(o.name, 'unknown'), COUNT(*) FROM sessions s LEFT JOIN sources o ON o.id = s.source_id GROUP BY 1"
            ) {
                s.sessionsBySource[row[0]] = row[1]
            }
            s.imports = try String.fetchAll(
                db,
                sql:
                    "SELECT path || ' (' || format || ', ' || rows_read || ' rows, ' || rows_rejected || ' rejected)' FROM imports ORDER BY id"
            )
            s.runs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { s.meta[row[0]] = row[1] }
            return s
        }
    }
}
