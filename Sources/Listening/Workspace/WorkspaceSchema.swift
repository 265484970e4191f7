/// The workspace's SQLite schema, versioned with `PRAGMA user_version`.
enum WorkspaceSchema {
    /// Marks the file as ours: ASCII "SETL".
    static let applicationID: Int32 = 0x5345_544C
    /// Bumped whenever a table changes.
    static let version = 1
    static let databaseName = "setlist.sqlite"

    static let statements = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE tracks (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT, artist TEXT)",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)",
        "CREATE TABLE devices (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
        "CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
        // A session's plays are stored with it as JSON arrays (track ids, seconds after the start,
        // skip flags 0/1/null): one row per session instead of one per play makes imports several
        // times faster, and the `plays` view below still gives one row per play to SQL users.
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            start_time INTEGER NOT NULL,
            end_time INTEGER NOT NULL,
            hour INTEGER,
            daypart INTEGER,
            weekday INTEGER,
            device_id INTEGER REFERENCES devices(id),
            source_id INTEGER REFERENCES sources(id),
            length INTEGER NOT NULL,
            skips INTEGER,
            skips_known INTEGER NOT NULL,
            play_tracks TEXT NOT NULL,
            play_offsets TEXT NOT NULL,
            play_skips TEXT NOT NULL
        )
        """,
        """
        CREATE VIEW plays AS
        SELECT s.id AS session_id, s.user_id AS user_id, CAST(t.key AS INTEGER) AS position,
               t.value AS track_id,
               s.start_time + json_extract(s.play_offsets, '$[' || t.key || ']') AS time,
               json_extract(s.play_skips, '$[' || t.key || ']') AS skipped
        FROM sessions s, json_each(s.play_tracks) t
        """,
        "CREATE INDEX sessions_by_user ON sessions(user_id, start_time)",
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            format TEXT NOT NULL,
            rows_read INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            imported_at INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            model TEXT,
            config TEXT,
            seed INTEGER,
            metrics TEXT,
            started_at INTEGER NOT NULL,
            finished_at INTEGER
        )
        """,
    ]
}
