import Foundation
import GRDB
import Listening

/// One row of the workspace's `runs` table: a training or evaluation run.
public struct RunRecord: Sendable, Hashable, Codable {
    /// What kind of run: "train", "evaluate", "bench", …
    public var kind: String
    /// The model's name, e.g. "CoSeRNN".
    public var model: String
    /// The config JSON (model config and training options).
    public var config: String
    /// The seed of the run.
    public var seed: UInt64
    /// Metrics JSON (losses, epochs, throughput, evaluation scores).
    public var metrics: String
    /// Unix time the run started.
    public var startedAt: Int64
    /// Unix time it finished (nil while running or when it failed).
    public var finishedAt: Int64?

    /// Creates a record.
    public init(
        kind: String, model: String, config: String, seed: UInt64, metrics: String,
        startedAt: Int64, finishedAt: Int64? = nil
    ) {
        self.kind = kind
        self.model = model
        self.config = config
        self.seed = seed
        self.metrics = metrics
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// The current Unix time in seconds.
    public static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// The record of a finished training run: config `{"model": …, "training": options}`,
    /// metrics `{"bestEpoch", "bestValidationLoss", "epochs", "steps", "stopped", "history"}`.
    public static func training(
        model: String, config: some Encodable, options: TrainingOptions, result: TrainingResult,
        startedAt: Int64, finishedAt: Int64 = RunRecord.now
    ) throws -> RunRecord {
        let state = result.state
        return RunRecord(
            kind: "train", model: model, config: try TrainingJSON.encode(TrainingRunConfig(model: config, training: options)),
            seed: options.seed,
            metrics: try TrainingJSON.encode(
                TrainingRunMetrics(
                    bestEpoch: result.bestEpoch, bestValidationLoss: result.bestValidationLoss, epochs: state.epoch,
                    steps: state.step, stopped: state.stopped, history: state.history)),
            startedAt: startedAt, finishedAt: finishedAt)
    }
}

/// The config JSON of a training run record.
struct TrainingRunConfig<Model: Encodable>: Encodable {
    var model: Model
    var training: TrainingOptions
}

/// The metrics JSON of a training run record.
struct TrainingRunMetrics: Encodable {
    var bestEpoch: Int
    var bestValidationLoss: Float
    var epochs: Int
    var steps: Int
    var stopped: Bool
    var history: [EpochRecord]
}

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
