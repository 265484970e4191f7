import Foundation

/// One row of the workspace's `runs` table: a training or evaluation run, as plain values.
///
/// Listening owns the table; the model modules and the command line fill in the JSON texts.
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
}
