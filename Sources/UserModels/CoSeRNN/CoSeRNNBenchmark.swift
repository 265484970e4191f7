import Foundation
import Listening
import Tensor

/// `setlist bench train`: CoSeRNN training throughput on a workspace-sized synthetic dataset.
public enum CoSeRNNBenchmark {
    /// The measured figures.
    public struct Figures: Sendable, Hashable, Codable {
        /// Users generated.
        public var users: Int
        /// Sessions trained on (train parts only).
        public var trainSessions: Int
        /// Wall seconds of one training epoch.
        public var epochSeconds: Double
        /// Training throughput: sessions per second.
        public var sessionsPerSecond: Double
        /// The validation pass that follows the epoch.
        public var validationSeconds: Double
        /// Mean `predict` latency with the history cached and the context changed.
        public var predictCachedMicroseconds: Double
        /// Mean `predict` latency for a history one session longer than a cached one (stepping through sessions).
        public var predictNextSessionMicroseconds: Double
        /// Mean `predict` latency with nothing cached (the longest history).
        public var predictUncachedMicroseconds: Double
        /// BLAS threads used.
        public var blasThreads: Int
    }

    /// Generates `users` synthetic users in memory, trains CoSeRNN (official sizes) for one epoch,
    /// and returns printable lines; `progress` receives the training reports.
    public static func run(
        users: Int = 10_000, sessionsPerUser: Int = 60, threads: Int = 2,
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> [String] {
        let figures = try measure(users: users, sessionsPerUser: sessionsPerUser, threads: threads, progress: progress)
        return [
            "CoSeRNN training (LSTM 400, dense 200×2, batch 256, \(figures.blasThreads) BLAS threads)",
            String(format: "  data: %d users, %d train sessions (synthetic, generated in memory)", figures.users, figures.trainSessions),
            String(format: "  one epoch: %.1f s, %.0f sessions/s", figures.epochSeconds, figures.sessionsPerSecond),
            String(format: "  validation pass: %.1f s", figures.validationSeconds),
            String(
                format: "  predict: %.0f µs for a new context, %.0f µs for the next session, %.0f µs uncached (longest history)",
                figures.predictCachedMicroseconds, figures.predictNextSessionMicroseconds, figures.predictUncachedMicroseconds),
        ]
    }

    /// The figures behind `run`.
    public static func measure(
        users: Int = 10_000, sessionsPerUser: Int = 60, threads: Int = 2,
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> Figures {
        setBLASThreads(threads)
        let generator = SyntheticGenerator(config: SyntheticConfig(users: users, sessionsPerUser: sessionsPerUser))
        var grouped: [[Session]] = Array(repeating: [], count: generator.totalUsers)
        generator.generateParallel(threads: threads) { grouped[Int($0.user)].append($0) }
        let tracks = TrackVectors(dimension: generator.truth.dimension, values: generator.truth.trackVectors)
        let config = CoSeRNNConfig(
            dimension: tracks.dimension, deviceCount: generator.vocabulary.devices.count,
            sourceCount: generator.vocabulary.sources.count)
        let model = try CoSeRNN(config: config, tracks: tracks)
        let split = TimeSplit()
        let trainSessions = grouped.reduce(0) { $0 + split.ranges(of: $1).train.count }
        let clock = ContinuousClock()
        let started = clock.now
        let result = try model.train(users: grouped, split: split, options: TrainingOptions(maxEpochs: 1), progress: progress)
        let total = TrainingLoop<CoSeRNN>.seconds(clock.now - started)
        let rate = result.state.history.last?.sessionsPerSecond ?? 0
        let epochSeconds = rate > 0 ? Double(trainSessions) / rate : total

        // Prediction latency on a user with a long history.
        let sessions = grouped.max { $0.count < $1.count } ?? []
        let history = sessions.dropLast()
        let context = sessions.last?.context ?? .unknown, time = sessions.last?.start ?? 0
        _ = model.predict(history: history, context: context, time: time)
        let repeats = 200
        let cachedStart = clock.now
        for hour in 0..<repeats {
            var changed = context
            changed.hour = Int8(hour % 24)
            _ = model.predict(history: history, context: changed, time: time)
        }
        let cached = TrainingLoop<CoSeRNN>.seconds(clock.now - cachedStart) / Double(repeats) * 1e6
        model.prefixCache.removeAll()
        let stepStart = clock.now
        for t in sessions.indices { _ = model.predict(history: sessions[0..<t], context: sessions[t].context, time: sessions[t].start) }
        let next = TrainingLoop<CoSeRNN>.seconds(clock.now - stepStart) / Double(max(sessions.count, 1)) * 1e6
        let uncachedRepeats = 20
        let uncachedStart = clock.now
        for _ in 0..<uncachedRepeats {
            model.prefixCache.removeAll()
            _ = model.predict(history: history, context: context, time: time)
        }
        let uncached = TrainingLoop<CoSeRNN>.seconds(clock.now - uncachedStart) / Double(uncachedRepeats) * 1e6
        return Figures(
            users: users, trainSessions: trainSessions, epochSeconds: epochSeconds, sessionsPerSecond: rate,
            validationSeconds: max(0, total - epochSeconds), predictCachedMicroseconds: cached,
            predictNextSessionMicroseconds: next, predictUncachedMicroseconds: uncached, blasThreads: currentBLASThreads())
    }
}
