import GRDB

extension Workspace {
    /// Appends `record` to the `runs` table and returns its row id.
    @discardableResult
    public func recordRun(_ record: RunRecord) throws -> Int64 {
        try write { db in
            // The seed is stored as the signed 64-bit integer SQLite holds; bit pattern preserved.
            try db.execute(
                sql: """
                    INSERT INTO runs (kind, model, config, seed, metrics, started_at, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.kind, record.model, record.config, Int64(bitPattern: record.seed),
                    record.metrics, record.startedAt, record.finishedAt,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Every recorded run, oldest first.
    public func runRecords() throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, model, config, seed, metrics, started_at, finished_at FROM runs ORDER BY id")
                .map { row in
                    RunRecord(
                        kind: row[0], model: row[1] ?? "", config: row[2] ?? "{}",
                        seed: UInt64(bitPattern: row[3] ?? 0), metrics: row[4] ?? "{}",
                        startedAt: row[5], finishedAt: row[6])
                }
        }
    }
}
